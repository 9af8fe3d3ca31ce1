import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ROUTE_INSTALLERS } from './fake-routes/index.js';
import {
  type FakeReply,
  type Fault,
  type RecordedRequest,
  detail,
  recordRequest,
  send,
  sendPart,
} from './fake-wire.js';
import { playableAudio } from './playable-audio.js';
import { silentMp3 } from './silent-mp3.js';

export { detail, type FakeReply, type Fault, type RecordedRequest } from './fake-wire.js';
export { silentMp3, silentMp3Seconds } from './silent-mp3.js';

/**
 * A fake ElevenLabs API on 127.0.0.1 for the real SDK to talk to. It checks what the real API checks
 * (the xi-api-key header, paths, query parameters, required body fields, model limits) and answers in
 * the real shapes, so a test passing here means the SDK call we make is one the real API accepts.
 * It records every request, and can be told to misbehave.
 */

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
  private readonly sockets = new Set<Socket>();
  /** Bytes of generated audio per character of text (the bench asks for 100 KB answers). */
  audioBytesPerCharacter = 64;
  fixedAudioBytes: number | undefined;
  /** Demo mode: generations return audio a player can play (see playable-audio.ts) instead of unique bytes. */
  playableAudio = false;
  /** Demo mode: any key is accepted, as an account of its own. */
  acceptAnyKey = false;
  baseUrl = '';

  constructor() {
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

  /** The HTTP server once started, for a caller that watches what it serves (the bench times each answer). */
  get httpServer(): Server | undefined {
    return this.server;
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
    const recorded = await recordRequest(req);
    this.requests.push(recorded);

    const fault = this.takeFault(recorded.path);
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
    const reply =
      recorded.path.endsWith('/stream') && (dispatched.status ?? 200) === 200
        ? { ...dispatched, stream: true }
        : dispatched;
    this.replies.push({ request: recorded, reply });
    if (fault?.kind === 'stall' || fault?.kind === 'truncate') return sendPart(res, reply, fault);
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
    const account =
      typeof key === 'string'
        ? (this.accounts.get(key) ?? (this.acceptAnyKey ? this.addKey(key) : undefined))
        : undefined;
    if (!account) return detail(401, 'invalid_api_key', 'Invalid API key');
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      if (account.status === 'missing_permissions') {
        return detail(
          401,
          'missing_permissions',
          'The API key you used is missing the permission required to execute this operation.',
        );
      }
      return route.handler(request, match.slice(1).map(decodeURIComponent), account);
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }
}
