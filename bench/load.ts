/**
 * Measurement 7: the local server (build/local/main.mjs, src/local/server.ts around a built handler) under
 * a bounded load on loopback: `clients` concurrent keep-alive clients alternating tools/list and ping, plus
 * `ttsClients` calling text_to_speech, for `seconds`. The server runs in its own process; the clients,
 * the fake ElevenLabs API and S3 run in this one (this machine has two cores: one each, roughly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { messageText } from './lib/answer.js';
import { summarize, type Summary } from './lib/stats.js';
import { BENCH_KEY, handlerEnv, type Upstream } from './lib/upstream.js';
import { BUNDLES, ROOT, type Pattern } from './lib/paths.js';

export interface LoadOptions {
  readonly clients: number;
  readonly ttsClients: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  readonly throughputPerSecond: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly byOp: Record<string, { requests: number; errors: number; perSecond: number; latencyMs: Summary }>;
  /** CPU the server process used, in cores (1 = one core busy all the time), from /proc (NaN elsewhere). */
  readonly serverCpuShare: number;
  readonly serverCpuMsPerRequest: number;
  /** CPU this process (the clients, the fake ElevenLabs API and S3) used, in cores. */
  readonly benchProcessCpuShare: number;
}

const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
const PING = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
const TTS = JSON.stringify({
  jsonrpc: '2.0',
  id: 3,
  method: 'tools/call',
  params: {
    name: 'text_to_speech',
    arguments: { text: 'Hello from a Lambda Function URL.', voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
  },
});

export async function measureLoad(
  upstream: Upstream,
  pattern: Pattern,
  options: LoadOptions,
  node = process.execPath,
): Promise<LoadResult> {
  const port = await freePort();
  const server = spawn(node, [join(ROOT, 'build', 'local', 'main.mjs'), '--handler', BUNDLES[pattern]], {
    env: handlerEnv(upstream, { PORT: String(port) }),
    // The server's log lines (one per request) go to /dev/null rather than through this busy process.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients + options.ttsClients });
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    await waitUntilUp(url, server, () => stderr);
    // Steady state, not the first calls: the first text_to_speech loads the ElevenLabs SDK and the S3
    // client, which blocks the server's one thread for most of a second (measured as cold to first audio).
    for (const [body, headers] of [
      [TTS, { 'x-elevenlabs-api-key': BENCH_KEY }],
      ...Array(100).fill([TOOLS_LIST, {}]),
    ] as Array<[string, Record<string, string>]>) {
      const error = checkAnswer(await post(agent, url, body, headers));
      if (error) throw new Error(`the local server failed during warm-up: ${error}`);
    }

    const ops: Record<string, { latencies: number[]; errors: number }> = {};
    let firstError: string | undefined;
    const record = (op: string, ms: number, error: string | undefined): void => {
      const entry = (ops[op] ??= { latencies: [], errors: 0 });
      entry.latencies.push(ms);
      if (error) {
        entry.errors++;
        firstError ??= `${op}: ${error}`;
      }
    };
    const until = performance.now() + options.seconds * 1000;
    const client = async (bodies: Array<[string, string]>, headers: Record<string, string>): Promise<void> => {
      for (let i = 0; performance.now() < until; i++) {
        const [op, body] = bodies[i % bodies.length]!;
        const started = performance.now();
        const error = await post(agent, url, body, headers).then(
          checkAnswer,
          (e: Error) => `request failed: ${e.message}`,
        );
        record(op, performance.now() - started, error);
      }
    };
    const started = performance.now();
    const serverCpuBefore = cpuMsOf(server.pid!);
    const ownCpuBefore = process.cpuUsage();
    await Promise.all([
      ...Array.from({ length: options.clients }, (_, i) =>
        client(
          i % 2
            ? [
                ['tools/list', TOOLS_LIST],
                ['ping', PING],
              ]
            : [
                ['ping', PING],
                ['tools/list', TOOLS_LIST],
              ],
          {},
        ),
      ),
      ...Array.from({ length: options.ttsClients }, () =>
        client([['text_to_speech', TTS]], { 'x-elevenlabs-api-key': BENCH_KEY }),
      ),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const serverCpuMs = cpuMsOf(server.pid!) - serverCpuBefore;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    upstream.fake.clear();

    const byOp = Object.fromEntries(
      Object.entries(ops).map(([op, { latencies, errors }]) => [
        op,
        { requests: latencies.length, errors, perSecond: latencies.length / seconds, latencyMs: summarize(latencies) },
      ]),
    );
    const requests = Object.values(ops).reduce((sum, o) => sum + o.latencies.length, 0);
    const errors = Object.values(ops).reduce((sum, o) => sum + o.errors, 0);
    return {
      seconds,
      requests,
      throughputPerSecond: requests / seconds,
      errors,
      firstError,
      byOp,
      serverCpuShare: serverCpuMs / (seconds * 1000),
      serverCpuMsPerRequest: serverCpuMs / requests,
      benchProcessCpuShare: (ownCpu.user + ownCpu.system) / 1000 / (seconds * 1000),
    };
  } finally {
    agent.destroy();
    await stop(server);
  }
}

function post(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Any non-2xx, JSON-RPC error or tool error counts. */
function checkAnswer({ status, body }: { status: number; body: string }): string | undefined {
  if (status < 200 || status > 299) return `HTTP ${status}: ${body.slice(0, 200)}`;
  try {
    const message = JSON.parse(messageText(body)) as { error?: { message?: string }; result?: { isError?: boolean } };
    if (message.error) return `JSON-RPC error: ${message.error.message}`;
    if (message.result?.isError) return `tool error: ${body.slice(0, 200)}`;
    return undefined;
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
}

/** User + system CPU time of a process, in ms, from /proc/<pid>/stat (Linux; NaN elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from the state field (3): indexes 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Until a ping is answered (the naive pattern has no /health). */
async function waitUntilUp(url: string, server: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the local server exited: ${stderr()}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: PING,
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the local server did not answer a ping at ${url}: ${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
