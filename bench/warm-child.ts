/**
 * Warm latency: one process, one handler, thousands of invocations. Driven over IPC by bench/warm.ts:
 * it receives a plan, runs each operation's warm-up and then its timed iterations, and sends the samples.
 * Before an operation marked `upstream`, it tells the parent, which then clears its upstream service logs,
 * so that each timed call can be matched with the fake ElevenLabs' and S3's own time for it.
 */
import { pathToFileURL } from 'node:url';
import { messageText } from './lib/answer.js';

export interface WarmOp {
  readonly name: string;
  readonly event: unknown;
  readonly warmup: number;
  readonly iterations: number;
  /** Stop earlier when the timed iterations have taken this long. */
  readonly maxMs: number;
  readonly upstream: boolean;
}

export type WarmMessage =
  | { type: 'mark'; op: string }
  | {
      type: 'samples';
      op: string;
      warmupSamples: number[];
      samples: number[];
      failures: number;
      firstFailure: string | undefined;
    }
  | { type: 'done'; rssMB: number; heapUsedMB: number };

type Handler = (event: unknown, ctx: unknown) => Promise<{ statusCode?: number; body?: string }>;

const context = { awsRequestId: 'bench-warm', getRemainingTimeInMillis: () => 300_000 };

/** Resolves once the message is written: disconnecting earlier can drop a large one (thousands of samples). */
function send(message: WarmMessage): Promise<void> {
  return new Promise(
    (resolve, reject) => void process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
}

function nextMessage(): Promise<any> {
  return new Promise((resolve) => process.once('message', resolve));
}

/**
 * An answer counts as a failure when it is not 200, not a JSON-RPC result (`"result":` among the first
 * members: an error has `"error":` there), or a tool error. Checked on the string, without parsing:
 * parsing a 100 KB tools/list after every call would leave garbage that the next timed call collects.
 */
function failureOf(result: { statusCode?: number; body?: string }, toolCall: boolean): string | undefined {
  const body = messageText(result.body ?? '');
  if ((result.statusCode ?? 200) !== 200) return `HTTP ${result.statusCode}: ${body.slice(0, 300)}`;
  if (!body.slice(0, 60).includes('"result":') || (toolCall && body.includes('"isError":true')))
    return body.slice(0, 300);
  return undefined;
}

const { handlerPath, ops } = (await nextMessage()) as { handlerPath: string; ops: WarmOp[] };
const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: Handler };

for (const op of ops) {
  const toolCall = (op.event as { body?: string }).body?.includes('"tools/call"') ?? false;
  // Timed too, and reported apart: how a young process (a container's first requests) fares.
  const warmupSamples: number[] = [];
  for (let i = 0; i < op.warmup; i++) {
    const t = performance.now();
    const result = await handler(op.event, context);
    warmupSamples.push(performance.now() - t);
    const failure = failureOf(result, toolCall);
    if (failure) throw new Error(`${op.name} failed during warm-up: ${failure}`);
  }
  if (op.upstream) {
    await send({ type: 'mark', op: op.name });
    await nextMessage();
  }
  const samples: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  for (let i = 0; i < op.iterations && performance.now() - started < op.maxMs; i++) {
    const t = performance.now();
    const result = await handler(op.event, context);
    samples.push(performance.now() - t);
    const failure = failureOf(result, toolCall);
    if (failure) {
      failures++;
      firstFailure ??= failure;
    }
  }
  await send({ type: 'samples', op: op.name, warmupSamples, samples, failures, firstFailure });
}
const memory = process.memoryUsage();
await send({ type: 'done', rssMB: memory.rss / 2 ** 20, heapUsedMB: memory.heapUsed / 2 ** 20 });
process.disconnect();
