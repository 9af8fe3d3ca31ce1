import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOTICE } from '../../src/local/demo.js';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { parseMp3, parseWav } from '../support/audio-check.js';
import { KEY_A } from '../support/harness.js';
import {
  buildForTest,
  runServerProcess,
  startServerProcess,
  type Built,
  type StartedServer,
} from '../support/npm-start.js';

/**
 * `npm run demo` and the local server's command line, run as a user runs them: the built local server
 * (what `npm start` / `npm run demo` run after building) in a process of its own, over HTTP.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let built: Built;
let demo: StartedServer;

beforeAll(async () => {
  built = await buildForTest('demo');
  demo = await startServerProcess(built, {}, ['--demo']);
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  await built?.remove();
});

async function callOverHttp(
  url: string,
  name: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<any> {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: any }).result;
}

async function download(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('npm run demo', () => {
  it('is the build and the local server with --demo', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toBe('node esbuild.config.mjs && node build/local/main.mjs --demo');
  });

  it('says in its banner that it is a demo, and which ElevenLabs URL it uses', () => {
    const banner = demo.output();
    expect(banner).toContain('*** DEMO MODE ***');
    expect(banner).toMatch(/mode: +DEMO \(fake ElevenLabs API\)/);
    expect(banner).toMatch(/ElevenLabs: +http:\/\/127\.0\.0\.1:\d+ \(the bundled fake ElevenLabs API\)/);
    // Its curl line needs no key.
    expect(banner).not.toContain('ELEVENLABS_API_KEY');
  });

  it('answers text_to_speech with no key, labelled as a demo, with a link to an MP3 that plays', async () => {
    const result = await callOverHttp(demo.url, 'text_to_speech', { text: 'Hello from the demo!' });
    expect(result.isError).toBeFalsy();
    expect(result.content[0].text.startsWith(DEMO_NOTICE)).toBe(true);
    const { url, mime_type: mimeType, bytes } = result.structuredContent;
    expect(mimeType).toBe('audio/mpeg');

    const file = await download(url);
    expect(file.type).toBe('audio/mpeg');
    expect(file.bytes.length).toBe(bytes);
    const mp3 = parseMp3(file.bytes);
    expect(mp3.frames).toBeGreaterThan(50);
    expect(mp3.seconds).toBeGreaterThan(2);
  });

  it('accepts any key, and gives WAV formats a valid WAV', async () => {
    const result = await callOverHttp(
      demo.url,
      'text_to_speech',
      { text: 'A WAV, please.', output_format: 'wav_16000' },
      { 'x-elevenlabs-api-key': 'sk_anything_at_all' },
    );
    expect(result.isError).toBeFalsy();
    expect(result.content[0].text.startsWith(DEMO_NOTICE)).toBe(true);
    const file = await download(result.structuredContent.url);
    expect(parseWav(file.bytes)).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(parseWav(file.bytes).seconds).toBeGreaterThan(1);
  });

  it('labels other tools and errors too', async () => {
    const voices = await callOverHttp(demo.url, 'search_voices', {});
    expect(voices.isError).toBeFalsy();
    expect(voices.content[0].text.startsWith(DEMO_NOTICE)).toBe(true);
    const refused = await callOverHttp(demo.url, 'get_voice', { voice_id: 'NoSuchVoice0000000000' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text.startsWith(DEMO_NOTICE)).toBe(true);
  });

  it('serves a real MCP client end to end (initialize, tools/list, text_to_speech)', async () => {
    const client = new Client({ name: 'demo-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${demo.url}/mcp`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('text_to_speech');
      const result = (await client.callTool({
        name: 'text_to_speech',
        arguments: { text: 'Through the SDK client.' },
      })) as any;
      expect(result.isError).toBeFalsy();
      expect(parseMp3((await download(result.structuredContent.url)).bytes).frames).toBeGreaterThan(50);
    } finally {
      await client.close();
    }
  });

  it('serves mcp-remote (the Claude Desktop path) with no key header at all', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-remote-demo-'));
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/mcp-remote/dist/proxy.js'), `${demo.url}/mcp`, '--transport', 'http-only'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, 'config') },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const waiters = new Map<number, (message: any) => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { id?: unknown };
        if (typeof message.id === 'number') waiters.get(message.id)?.(message);
      } catch {
        // not a JSON-RPC line
      }
    });
    const request = (id: number, method: string, params?: object): Promise<any> =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer to ${method}; mcp-remote said:\n${stderr}`)),
          25_000,
        );
        waiters.set(id, (message) => {
          clearTimeout(timer);
          resolvePromise(message);
        });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })}\n`);
      });
    try {
      await request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'demo-mcp-remote', version: '1.0.0' },
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const call = await request(2, 'tools/call', {
        name: 'text_to_speech',
        arguments: { text: 'Through mcp-remote.' },
      });
      expect(call.result.isError).toBeFalsy();
      expect(call.result.content[0].text.startsWith(DEMO_NOTICE)).toBe(true);
      expect(parseMp3((await download(call.result.structuredContent.url)).bytes).frames).toBeGreaterThan(50);
    } finally {
      child.kill();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('keeps the fake out of the Lambda bundle: no module of src/local/ is in its metafile', async () => {
    const meta = JSON.parse(await readFile(join(built.dir, 'meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('src/handler.ts');
    expect(inputs.filter((path) => path.startsWith('src/local/') || path.startsWith('test/'))).toEqual([]);
  });
});

describe('the local server command line', () => {
  it('--help prints the usage (options and environment) and exits 0 without starting', async () => {
    const { code, stdout } = await runServerProcess(built, {}, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage:/);
    for (const option of ['--demo', '--handler', '--host', '--s3-only', '--help']) expect(stdout).toContain(option);
    for (const variable of ['PORT', 'ELEVENLABS_BASE_URL', 'AUDIO_BUCKET', 'LOCAL_S3_DIR'])
      expect(stdout).toContain(variable);
    expect(stdout).not.toContain('listening on');
  });

  it('refuses an unknown option with the usage, exit code 2', async () => {
    const { code, stderr } = await runServerProcess(built, {}, ['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown option: --bogus');
    expect(stderr).toContain('Usage:');
  });

  it('a taken port: says so and to set PORT, exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolvePromise) => blocker.listen(0, '127.0.0.1', resolvePromise));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runServerProcess(built, { PORT: String(port) }, []);
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain('set PORT to a free port');
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise<void>((resolvePromise) => blocker.close(() => resolvePromise()));
    }
  });

  it('the real mode banner names the ElevenLabs URL it uses and asks for a key', async () => {
    const fake = new FakeElevenLabs();
    const baseUrl = await fake.start();
    fake.addKey(KEY_A);
    const server = await startServerProcess(built, {
      ELEVENLABS_BASE_URL: baseUrl,
      LOCAL_S3_DIR: join(built.dir, 's3-real'),
    });
    try {
      expect(server.output()).toMatch(/mode: +real ElevenLabs API; every request brings its own key/);
      expect(server.output()).toContain(`ElevenLabs: ${baseUrl}\n`);
      expect(server.output()).not.toContain('DEMO');
      // And its answers carry no demo label.
      const result = await callOverHttp(
        server.url,
        'text_to_speech',
        { text: 'Real mode.' },
        { 'x-elevenlabs-api-key': KEY_A },
      );
      expect(result.isError).toBeFalsy();
      expect(result.content[0].text).not.toContain('DEMO');
    } finally {
      await server.stop();
      await fake.stop();
    }
  });
});
