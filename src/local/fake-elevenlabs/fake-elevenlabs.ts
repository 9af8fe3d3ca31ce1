import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODELS, OUTPUT_FORMATS, SUBSCRIPTION, VOICES, voiceBody } from './elevenlabs-fixtures.js';
import { ROUTE_INSTALLERS } from './fake-routes/index.js';
import { playableAudio } from './playable-audio.js';

/**
 * A fake ElevenLabs API on 127.0.0.1 for the real SDK to talk to. It checks what the real API checks
 * (the xi-api-key header, paths, query parameters, required body fields, model limits) and answers in
 * the real shapes, so a test passing here means the SDK call we make is one the real API accepts.
 * It records every request, and can be told to misbehave.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** The parsed body when it is JSON. */
  readonly json: unknown;
  /** The multipart form when it is one. */
  form(): Promise<FormData>;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send a binary body chunked (no Content-Length), a few KB at a time, as the streaming endpoints do. */
  stream?: boolean;
}

export type Fault =
  | { kind: 'reply'; reply: FakeReply }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Destroy the socket before answering. */
  | { kind: 'reset' }
  /** Answer 200 with a Content-Length and close the socket half-way through the body. */
  | { kind: 'truncate'; bytes?: number }
  /** Answer normally after a delay. */
  | { kind: 'delay'; ms: number }
  /** Answer 200 with the real headers and the first `bytes` of the body, then send nothing more, ever. */
  | { kind: 'stall'; bytes?: number };

type Handler = (request: RecordedRequest, params: string[], account: Account) => FakeReply | Promise<FakeReply>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: Handler;
}

export interface Account {
  readonly key: string;
  readonly status: 'ok' | 'quota_exceeded' | 'missing_permissions';
  /** Audio bytes this account's generations returned, in order. */
  readonly audio: Buffer[];
}

/** An answer the fake sent, for checks of its shape (test/integration/fake-fidelity.test.ts). */
export interface RecordedReply {
  readonly request: RecordedRequest;
  readonly reply: FakeReply;
}

export class FakeElevenLabs {
  readonly requests: RecordedRequest[] = [];
  readonly replies: RecordedReply[] = [];
  private readonly accounts = new Map<string, Account>();
  private readonly routes: Route[] = [];
  private readonly faults: Array<{ pattern: RegExp; fault: Fault; remaining: number }> = [];
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  /** Bytes of generated audio per character of text (the bench asks for 100 KB answers). */
  audioBytesPerCharacter = 64;
  fixedAudioBytes: number | undefined;
  /** Demo mode: generations return audio a player can play (see playable-audio.ts) instead of unique bytes. */
  playableAudio = false;
  /** Demo mode: any key is accepted, as an account of its own. */
  acceptAnyKey = false;
  baseUrl = '';

  constructor() {
    this.installDefaultRoutes();
    for (const install of ROUTE_INSTALLERS) install(this);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Node's default (5 s) closes idle connections sooner than a real API does; a client reusing one just as it
    // closes sees "fetch failed", which made tests that pause (the SDK's first load takes seconds) flaky.
    this.server.keepAliveTimeout = 65_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A key the fake accepts, with the account state it should report. */
  addKey(key: string, status: Account['status'] = 'ok'): Account {
    const account: Account = { key, status, audio: [] };
    this.accounts.set(key, account);
    return account;
  }

  account(key: string): Account | undefined {
    return this.accounts.get(key);
  }

  /** Adds or overrides an endpoint (later routes win). */
  route(method: string, pattern: RegExp, handler: Handler): void {
    this.routes.unshift({ method, pattern, handler });
  }

  /** The next `times` requests whose path matches misbehave as told. */
  inject(pattern: RegExp, fault: Fault, times = 1): void {
    this.faults.push({ pattern, fault, remaining: times });
  }

  clear(): void {
    this.requests.length = 0;
    this.replies.length = 0;
    this.faults.length = 0;
  }

  requestsTo(pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  /** Deterministic audio for a text: different texts give different bytes (playable ones in demo mode). */
  audioFor(text: string, format?: string): Buffer {
    const playable = this.playableAudio ? playableAudio(format) : undefined;
    if (playable) return playable;
    const size = this.fixedAudioBytes ?? Math.max(256, [...text].length * this.audioBytesPerCharacter);
    // A real MP3 a browser plays (the player's test needs one), of exactly the size asked for.
    return silentMp3(createHash('sha256').update(text).digest(), size);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'] ?? '';
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      json: contentType.includes('application/json') && body.length ? safeJson(body) : undefined,
      form: () => new Response(body, { headers: { 'content-type': contentType } }).formData(),
    };
    this.requests.push(recorded);

    const fault = this.takeFault(url.pathname);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'reply') {
      this.replies.push({ request: recorded, reply: fault.reply });
      return send(res, fault.reply);
    }

    const dispatched = await this.dispatch(recorded);
    // Every /stream endpoint answers its audio chunked, without a Content-Length.
    const reply = url.pathname.endsWith('/stream') && (dispatched.status ?? 200) === 200 ? { ...dispatched, stream: true } : dispatched;
    this.replies.push({ request: recorded, reply });
    if (fault?.kind === 'stall') {
      const bytes = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body ?? ''));
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/octet-stream', ...reply.headers });
      res.write(bytes.subarray(0, fault.bytes ?? 1024));
      return;
    }
    if (fault?.kind === 'truncate') {
      const bytes = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body ?? ''));
      const cut = fault.bytes ?? Math.floor(bytes.length / 2);
      res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    send(res, reply);
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.pattern.test(path));
    if (index < 0) return undefined;
    const entry = this.faults[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  private async dispatch(request: RecordedRequest): Promise<FakeReply> {
    const key = request.headers['xi-api-key'];
    const account = typeof key === 'string' ? (this.accounts.get(key) ?? (this.acceptAnyKey ? this.addKey(key) : undefined)) : undefined;
    if (!account) return detail(401, 'invalid_api_key', 'Invalid API key');
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      if (account.status === 'missing_permissions') {
        return detail(401, 'missing_permissions', 'The API key you used is missing the permission required to execute this operation.');
      }
      return route.handler(request, match.slice(1).map(decodeURIComponent), account);
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }

  private installDefaultRoutes(): void {
    this.route('GET', /^\/v1\/models$/, () => ({ body: MODELS }));

    this.route('GET', /^\/v1\/user\/subscription$/, () => ({ body: SUBSCRIPTION }));

    this.route('GET', /^\/v2\/voices$/, (request) => {
      const search = request.query.get('search')?.toLowerCase();
      const pageSize = Number(request.query.get('page_size') ?? 10);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return validation('query', 'page_size', 'ensure this value is between 1 and 100');
      const sort = request.query.get('sort') ?? 'created_at_unix';
      if (!['name', 'created_at_unix'].includes(sort)) return validation('query', 'sort', 'invalid sort field');
      const direction = request.query.get('sort_direction') ?? 'desc';
      const matching = VOICES.filter(
        (v) => !search || [v.name, v.description ?? '', v.category, ...Object.values(v.labels)].some((f) => f.toLowerCase().includes(search)),
      ).sort((a, b) => (direction === 'asc' ? 1 : -1) * a.name.localeCompare(b.name));
      const start = Number(request.query.get('next_page_token') ?? 0) || 0;
      const page = matching.slice(start, start + pageSize);
      const hasMore = start + pageSize < matching.length;
      return {
        body: {
          voices: page.map(voiceBody),
          has_more: hasMore,
          total_count: matching.length,
          next_page_token: hasMore ? String(start + pageSize) : null,
        },
      };
    });

    this.route('GET', /^\/v1\/voices\/([^/]+)$/, (_request, [voiceId]) => {
      const voice = VOICES.find((v) => v.voice_id === voiceId);
      return voice ? { body: voiceBody(voice) } : voiceNotFound(voiceId!);
    });

    this.route('POST', /^\/v1\/text-to-speech\/([^/]+)$/, (request, [voiceId], account) => {
      const generated = this.speak(request, voiceId!, account);
      if ('reply' in generated) return generated.reply;
      return { headers: generated.headers, body: generated.audio };
    });

    // The streaming variant takes the same query and body and answers the same audio, chunked, as soon
    // as the first of it is made.
    this.route('POST', /^\/v1\/text-to-speech\/([^/]+)\/stream$/, (request, [voiceId], account) => {
      const generated = this.speak(request, voiceId!, account);
      if ('reply' in generated) return generated.reply;
      return { headers: generated.headers, body: generated.audio, stream: true };
    });

    this.route('POST', /^\/v1\/text-to-speech\/([^/]+)\/with-timestamps$/, (request, [voiceId], account) => {
      const generated = this.speak(request, voiceId!, account);
      if ('reply' in generated) return generated.reply;
      const characters = [...generated.text];
      const alignment = {
        characters,
        character_start_times_seconds: characters.map((_, i) => Number((i * 0.07).toFixed(3))),
        character_end_times_seconds: characters.map((_, i) => Number(((i + 1) * 0.07).toFixed(3))),
      };
      return {
        headers: { ...generated.headers, 'content-type': 'application/json' },
        body: { audio_base64: generated.audio.toString('base64'), alignment, normalized_alignment: alignment },
      };
    });
  }

  /** What POST /v1/text-to-speech/{voice_id} checks and produces, shared by its variants. */
  private speak(request: RecordedRequest, voiceId: string, account: Account): { reply: FakeReply } | { text: string; audio: Buffer; headers: Record<string, string> } {
    if (account.status === 'quota_exceeded') {
      return { reply: detail(401, 'quota_exceeded', 'This request exceeds your quota of 10000. You have 12 credits remaining, while 40 credits are required for this request.') };
    }
    const format = request.query.get('output_format') ?? 'mp3_44100_128';
    if (!OUTPUT_FORMATS.has(format)) return { reply: validation('query', 'output_format', 'value is not a valid enumeration member') };
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body.text !== 'string') return { reply: validation('body', 'text', 'field required') };
    const modelId = typeof body.model_id === 'string' ? body.model_id : 'eleven_multilingual_v2';
    const model = MODELS.find((m) => m.model_id === modelId);
    if (!model) return { reply: detail(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`) };
    const limit = model.maximum_text_length_per_request as number;
    if ([...body.text].length > limit) {
      return { reply: detail(400, 'max_character_limit_exceeded', `Text must not exceed ${limit} characters for model ${modelId}.`) };
    }
    const settings = body.voice_settings as Record<string, unknown> | undefined;
    for (const name of ['stability', 'similarity_boost', 'style']) {
      const value = settings?.[name];
      if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) return { reply: validation('body', `voice_settings.${name}`, 'must be between 0 and 1') };
    }
    if (!VOICES.some((v) => v.voice_id === voiceId)) return { reply: voiceNotFound(voiceId) };
    const audio = this.audioFor(body.text, format);
    account.audio.push(audio);
    return {
      text: body.text,
      audio,
      headers: {
        'content-type': format.startsWith('mp3') ? 'audio/mpeg' : 'application/octet-stream',
        // What the real API sends: `character-cost` (ElevenLabs' text-to-speech cookbook reads it); no x-character-count.
        'character-cost': String([...body.text].length),
        'request-id': `req_${createHash('sha1').update(audio).digest('hex').slice(0, 16)}`,
        'history-item-id': 'hist_1',
      },
    };
  }
}

/** ElevenLabs' error body: `{"detail":{"status":..., "message":...}}`. */
export function detail(status: number, code: string, message: string): FakeReply {
  return { status, body: { detail: { status: code, message } } };
}

function voiceNotFound(voiceId: string): FakeReply {
  return detail(404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
}

/** FastAPI's 422: `{"detail":[{"loc":[...],"msg":...,"type":...}]}`. */
function validation(where: string, field: string, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc: [where, ...field.split('.')], msg, type: 'value_error' }] } };
}

function send(res: ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 200;
  if (reply.stream && (Buffer.isBuffer(reply.body) || reply.body instanceof Uint8Array)) {
    const body = Buffer.from(reply.body);
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked', ...reply.headers });
    const step = (offset: number): void => {
      if (offset >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + 4096), () => setImmediate(() => step(offset + 4096)));
    };
    step(0);
    return;
  }
  if (Buffer.isBuffer(reply.body) || reply.body instanceof Uint8Array) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...reply.headers });
    res.end(reply.body);
    return;
  }
  if (typeof reply.body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** MPEG-2 Layer III, 8 kbit/s, 16 kHz, mono, no CRC: 36-byte frames of 576 samples (36 ms), 1000 bytes a second. */
const MP3_FRAME_HEADER = Buffer.from([0xff, 0xf3, 0x18, 0xc0]);
const MP3_FRAME_BYTES = 36;
/** The ID3 tag before padding: its header, the PRIV frame's header, the owner and a SHA-256. */
const SILENT_MP3_TAG_BYTES = 10 + 10 + 16 + 32;

/**
 * `size` bytes of real MP3: an ID3v2.4 tag whose PRIV frame holds `tag` (what makes two texts' audio
 * differ), padded so that the rest is whole frames of silence (side information and main data all zero
 * decode to silence). About 64 ms of audio per character at the default 64 bytes per character, near the
 * 70 ms per character the with-timestamps route reports.
 */
export function silentMp3(tag: Buffer, size: number): Buffer {
  const owner = Buffer.from('fake-elevenlabs\0', 'latin1');
  const privBody = Buffer.concat([owner, tag]);
  const minimumTag = 10 + 10 + privBody.length;
  if (minimumTag !== SILENT_MP3_TAG_BYTES) throw new Error('the tag must be a SHA-256');
  if (size < minimumTag + MP3_FRAME_BYTES) throw new Error(`an MP3 of ${size} bytes is too small for one frame`);
  const frames = Math.floor((size - minimumTag) / MP3_FRAME_BYTES);
  const padding = size - minimumTag - frames * MP3_FRAME_BYTES;
  const tagBody = Buffer.concat([Buffer.from('PRIV', 'latin1'), syncsafe(privBody.length), Buffer.from([0, 0]), privBody, Buffer.alloc(padding)]);
  const header = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(tagBody.length)]);
  const frame = Buffer.concat([MP3_FRAME_HEADER, Buffer.alloc(MP3_FRAME_BYTES - MP3_FRAME_HEADER.length)]);
  return Buffer.concat([header, tagBody, ...Array.from({ length: frames }, () => frame)]);
}

/** How long silentMp3(tag, size) plays, in seconds. */
export function silentMp3Seconds(size: number): number {
  return Math.floor((size - SILENT_MP3_TAG_BYTES) / MP3_FRAME_BYTES) * 0.036;
}

/** ID3v2's 28-bit integer in four 7-bit bytes. */
function syncsafe(value: number): Buffer {
  return Buffer.from([(value >> 21) & 0x7f, (value >> 14) & 0x7f, (value >> 7) & 0x7f, value & 0x7f]);
}
