import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import {
  createMetrics,
  METRIC,
  METRICS_NAMESPACE,
  publishRequestMetrics,
  UPSTREAM_ERROR_KINDS,
} from '../../src/metrics.js';
import { createRuntime } from '../../src/runtime.js';
import * as errors from '../../src/errors/index.js';
import { call, callTool, captureOutput, invoke, KEY_A, startStack, type Stack } from '../support/harness.js';

/**
 * The EMF lines the handler writes, read back from its stdout as CloudWatch would: one line per request,
 * in the namespace the template's alarms watch, with the facts of that request.
 */

// The suite turns metrics off everywhere else (vitest.config.ts); Powertools reads this when the runtime is built.
// Put back afterwards: the next file in this worker shares the process (vitest.config.ts).
const metricsSetting = process.env.POWERTOOLS_METRICS_DISABLED;
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
afterAll(() => {
  if (metricsSetting === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  else process.env.POWERTOOLS_METRICS_DISABLED = metricsSetting;
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
beforeEach(() => stack.fake.clear());

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

function emfLines(output: string): Emf[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Emf);
}

/** The request's one EMF line, checked for the structure CloudWatch requires. */
function onlyLine(output: string): Emf {
  const lines = emfLines(output);
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(Number.isInteger(line._aws.Timestamp)).toBe(true);
  expect(line._aws.CloudWatchMetrics).toHaveLength(1);
  const directive = line._aws.CloudWatchMetrics[0]!;
  expect(directive.Namespace).toBe(METRICS_NAMESPACE);
  expect(directive.Dimensions).toEqual([['service'], ['service', 'tool', 'outcome']]);
  expect(line.service).toBe('elevenlabs-mcp');
  // Every declared metric has a numeric value and every dimension a string one, at the top level.
  for (const { Name } of directive.Metrics) expect(typeof line[Name]).toBe('number');
  for (const name of directive.Dimensions.flat()) expect(typeof line[name]).toBe('string');
  return line;
}

function units(line: Emf): Record<string, string> {
  return Object.fromEntries(line._aws.CloudWatchMetrics[0]!.Metrics.map((m) => [m.Name, m.Unit]));
}

describe('request metrics (EMF lines on stdout)', () => {
  it('text_to_speech: one line with tool, outcome, upstream calls, latency, characters and bytes', async () => {
    const { result, output } = await captureOutput(() =>
      callTool(stack.handler, 'text_to_speech', { text: 'Metrics, please.' }),
    );
    expect(result.isError).toBeFalsy();
    const line = onlyLine(output);
    expect(line).toMatchObject({
      tool: 'text_to_speech',
      outcome: 'ok',
      [METRIC.requests]: 1,
      [METRIC.charactersBilled]: result.structuredContent.characters_billed,
      [METRIC.bytesStored]: result.structuredContent.bytes,
      [METRIC.upstreamErrors]: 0,
      [METRIC.upstreamFaults]: 0,
      [METRIC.rejectedKeys]: 0,
    });
    // The text to speech call, and the model list its length check reads.
    expect(line[METRIC.upstreamCalls]).toBe(stack.fake.requests.length);
    expect(line[METRIC.upstreamLatency]).toBeGreaterThanOrEqual(0);
    expect(units(line)).toMatchObject({
      [METRIC.requests]: 'Count',
      [METRIC.upstreamLatency]: 'Milliseconds',
      [METRIC.bytesStored]: 'Bytes',
      [METRIC.charactersBilled]: 'Count',
    });
    expect(output).not.toContain(KEY_A);
  });

  it('a key ElevenLabs refuses: a rejected key and an upstream error of that kind', async () => {
    const refused = 'sk_test_refusedrefusedrefusedrefusedrefusedrefus';
    const { result, output } = await captureOutput(() => callTool(stack.handler, 'check_subscription', {}, refused));
    expect(result.isError).toBe(true);
    const line = onlyLine(output);
    expect(line).toMatchObject({
      tool: 'check_subscription',
      outcome: 'invalid_api_key',
      [METRIC.rejectedKeys]: 1,
      [METRIC.upstreamErrors]: 1,
      [METRIC.upstreamFaults]: 0,
    });
    expect(output).not.toContain(refused);
  });

  it('ElevenLabs unavailable: an upstream fault, nothing billed or stored', async () => {
    stack.fake.inject(
      /^\/v1\/text-to-speech\//,
      { kind: 'reply', reply: { status: 503, body: { detail: 'busy' } } },
      10,
    );
    const { result, output } = await captureOutput(() =>
      callTool(stack.handler, 'text_to_speech', { text: 'Try later.' }),
    );
    expect(result.isError).toBe(true);
    const line = onlyLine(output);
    expect(line).toMatchObject({
      tool: 'text_to_speech',
      outcome: 'upstream_unavailable',
      [METRIC.upstreamErrors]: 1,
      [METRIC.upstreamFaults]: 1,
    });
    expect(line).not.toHaveProperty(METRIC.bytesStored);
    expect(line).not.toHaveProperty(METRIC.charactersBilled);
  });

  it('a tool refused before any call: its kind as outcome, no upstream figures', async () => {
    // No key header at all (callTool would send KEY_A).
    const { result, output } = await captureOutput(() =>
      call(stack.handler, 'tools/call', { name: 'text_to_speech', arguments: { text: 'No key.' } }),
    );
    expect(result.body.result.isError).toBe(true);
    const line = onlyLine(output);
    expect(line).toMatchObject({
      tool: 'text_to_speech',
      outcome: 'missing_api_key',
      [METRIC.requests]: 1,
      [METRIC.rejectedKeys]: 0,
    });
    expect(line).not.toHaveProperty(METRIC.upstreamCalls);
    expect(line).not.toHaveProperty(METRIC.upstreamErrors);
  });

  it('requests without a tool: the JSON-RPC method, or http with the status for refusals', async () => {
    const listed = await captureOutput(() => call(stack.handler, 'tools/list'));
    expect(onlyLine(listed.output)).toMatchObject({ tool: 'tools/list', outcome: 'ok', [METRIC.requests]: 1 });

    const refused = await captureOutput(() => invoke(stack.handler, { method: 'GET' }));
    expect(refused.result.status).toBe(405);
    expect(onlyLine(refused.output)).toMatchObject({ tool: 'http', outcome: 'http_405', [METRIC.requests]: 1 });
  });

  it("in Lambda, the service dimension is the function's name (template.yaml's alarms select it)", async () => {
    const metrics = createMetrics({ AWS_LAMBDA_FUNCTION_NAME: 'my-stack-McpFunction-AbC123' });
    const { output } = await captureOutput(async () =>
      publishRequestMetrics(
        metrics,
        { tool: 'list_models', upstreamCalls: 1, upstreamMs: 5 },
        { status: 200, methods: ['tools/call'] },
      ),
    );
    expect(emfLines(output)[0]).toMatchObject({
      service: 'my-stack-McpFunction-AbC123',
      tool: 'list_models',
      outcome: 'ok',
    });
  });

  it('leaves out a NaN (CloudWatch refuses the null it would become)', async () => {
    const { output } = await captureOutput(async () =>
      publishRequestMetrics(
        createMetrics({}),
        { tool: 'text_to_speech', charactersBilled: Number.NaN },
        { status: 200, methods: ['tools/call'] },
      ),
    );
    expect(emfLines(output)[0]).toMatchObject({ tool: 'text_to_speech', Requests: 1 });
    expect(emfLines(output)[0]).not.toHaveProperty(METRIC.charactersBilled);
  });

  it('a value Powertools refuses drops the line with a warning, and never throws', async () => {
    const metrics = createMetrics({});
    // A bug elsewhere: a figure that is no number.
    const broken = { tool: 'text_to_speech', charactersBilled: '12' as unknown as number };
    const { output } = await captureOutput(async () =>
      publishRequestMetrics(metrics, broken, { status: 200, methods: ['tools/call'] }),
    );
    expect(emfLines(output)).toEqual([]);
    expect(output).toContain('"message":"request metrics not written"');
    // The next request's line is whole, with nothing left over from the dropped one.
    const next = await captureOutput(async () =>
      publishRequestMetrics(metrics, { tool: 'list_models' }, { status: 200, methods: ['tools/call'] }),
    );
    expect(emfLines(next.output)).toHaveLength(1);
    expect(emfLines(next.output)[0]).toMatchObject({ tool: 'list_models', outcome: 'ok', Requests: 1 });
    expect(emfLines(next.output)[0]).not.toHaveProperty(METRIC.charactersBilled);
  });

  it('POWERTOOLS_METRICS_DISABLED=true writes none', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    try {
      const handler = createHandler(createRuntime({ ...stack.env }));
      const { result, output } = await captureOutput(() => call(handler, 'tools/list'));
      expect(result.status).toBe(200);
      expect(emfLines(output)).toEqual([]);
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    }
  });

  it('counts as upstream errors exactly the kinds of the UpstreamError classes', () => {
    const kinds = Object.values(errors)
      .filter(
        (value) =>
          typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof errors.UpstreamError,
      )
      .map((cls) => new (cls as new (...args: unknown[]) => errors.UpstreamError)('detail', 500, 'code').kind);
    expect(kinds.length).toBeGreaterThan(5);
    expect(new Set(kinds)).toEqual(UPSTREAM_ERROR_KINDS);
  });
});
