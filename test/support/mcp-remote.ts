import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

const PROXY = resolve(import.meta.dirname, '../../node_modules/mcp-remote/dist/proxy.js');

/** A JSON-RPC answer mcp-remote relayed from the server, typed loosely: the tests read what they check. */
export interface RelayedAnswer {
  readonly id: number;
  readonly result?: any;
  readonly error?: any;
}

export interface McpRemoteOptions {
  /** Arguments between the server URL and `--transport http-only` (e.g. `--header name:value`). */
  readonly args?: readonly string[];
  /**
   * Gives mcp-remote, instead of a browser, a script that writes down the URL it asks to open (it opens URLs
   * with the `open` package, whose xdg-open runs $BROWSER); `openedUrl` reads it.
   */
  readonly recordBrowser?: boolean;
  /** How long a request waits for its answer before failing with what mcp-remote printed (default 25 s). */
  readonly answerTimeoutMs?: number;
}

/** mcp-remote over stdio, as Claude Desktop runs it, with a HOME of its own. */
export interface McpRemote {
  /** Sends a request (numbered from 1) and waits for its answer. */
  request(method: string, params?: object): Promise<RelayedAnswer>;
  notify(method: string): void;
  /** Everything mcp-remote wrote to stderr so far. */
  stderr(): string;
  /** With `recordBrowser`: the URL mcp-remote asked its browser to open, once it has. */
  openedUrl(timeoutMs: number): Promise<string>;
  /** Stops mcp-remote and removes its HOME. */
  close(): Promise<void>;
}

interface Waiter {
  readonly answer: (message: RelayedAnswer) => void;
  readonly timer: NodeJS.Timeout;
}

/** Starts mcp-remote (`--transport http-only`) for a server's endpoint. */
export async function startMcpRemote(endpoint: string, options: McpRemoteOptions = {}): Promise<McpRemote> {
  const home = await mkdtemp(join(tmpdir(), 'mcp-remote-'));
  const opened = join(home, 'opened-url');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    MCP_REMOTE_CONFIG_DIR: join(home, 'config'),
  };
  if (options.recordBrowser) {
    const browser = join(home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(browser, 0o755);
    Object.assign(env, { BROWSER: browser, DISPLAY: '', XDG_CURRENT_DESKTOP: '' });
  }
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [PROXY, endpoint, ...(options.args ?? []), '--transport', 'http-only'],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiters = new Map<number, Waiter>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = parseLine(line);
    if (typeof message?.id !== 'number') return;
    const waiter = waiters.get(message.id);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiters.delete(message.id);
    waiter.answer(message);
  });
  const send = (message: object): void => {
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  };

  let lastId = 0;
  return {
    request(method, params) {
      const id = ++lastId;
      return new Promise((answer, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer to ${method}; mcp-remote said:\n${stderr}`)),
          options.answerTimeoutMs ?? 25_000,
        );
        waiters.set(id, { answer, timer });
        send({ id, method, ...(params ? { params } : {}) });
      });
    },
    notify: (method) => send({ method }),
    stderr: () => stderr,
    openedUrl: (timeoutMs) => waitForFile(opened, timeoutMs, () => stderr),
    async close() {
      for (const waiter of waiters.values()) clearTimeout(waiter.timer);
      child.kill();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A line mcp-remote printed on stdout, if it is a JSON-RPC message (it may print other lines). */
function parseLine(line: string): RelayedAnswer | undefined {
  try {
    return JSON.parse(line) as RelayedAnswer;
  } catch {
    return undefined;
  }
}

async function waitForFile(path: string, timeoutMs: number, context: () => string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = (await readFile(path, 'utf8')).trim();
      if (text) return text;
    } catch {
      // not yet written
    }
    if (Date.now() > deadline) throw new Error(`the browser was never asked to open a URL:\n${context()}`);
    await delay(100);
  }
}
