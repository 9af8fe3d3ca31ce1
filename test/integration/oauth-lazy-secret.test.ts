import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, startStack, type Stack } from '../support/harness.js';
import { buildForTest, type Built } from '../support/npm-start.js';

/**
 * The token-sealing secret costs the header path nothing: with OAuth on, initialize, tools/list and
 * text_to_speech with the key in a header (and the keyless 401) load neither the Secrets Manager client
 * nor the v2 SDK; the first request that needs the secret (a registration) loads the client and reads
 * AWSCURRENT and AWSPREVIOUS of exactly the configured secret, from a stand-in Secrets Manager on
 * loopback (AWS_ENDPOINT_URL_SECRETS_MANAGER), on the built bundle, in a fresh process.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elevenlabs-mcp-sealing-AbCdEf';
const SECRET = 'probe-secret-value-0123456789abcdefghijklmnopqrstuvwxyzABCDEF';
let stack: Stack;
let built: Built;
let secrets: Server;
let secretsEndpoint: string;
const calls: Array<{ target: string | undefined; body: any }> = [];

beforeAll(async () => {
  stack = await startStack();
  built = await buildForTest('oauth-lazy');
  secrets = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      calls.push({ target: req.headers['x-amz-target'] as string | undefined, body });
      if (body.VersionStage === 'AWSPREVIOUS') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(
          JSON.stringify({
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
        JSON.stringify({
          ARN,
          Name: 'elevenlabs-mcp-sealing',
          SecretString: JSON.stringify({ secret: SECRET }),
          VersionId: 'v1',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1764633600,
        }),
      );
    });
  });
  await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', r));
  secretsEndpoint = `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => secrets?.close(() => r()));
  await stack?.stop();
  await built?.remove();
});

describe('the OAuth sealing secret', () => {
  it('is loaded from Secrets Manager only when a request needs it, never on the header path', async () => {
    const meta = JSON.parse(await readFile(join(built.dir, 'meta.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    const chunksOf = (pkg: string) =>
      Object.entries(meta.outputs)
        .filter(([, output]) => Object.keys(output.inputs).some((input) => input.includes(`node_modules/${pkg}/`)))
        .map(([file]) => basename(file));
    const secretsManager = chunksOf('@aws-sdk/client-secrets-manager');
    // The OAuth endpoints (page, authorize, token, clients) are a chunk of their own, loaded by OAuth requests only.
    const oauthEndpoints = Object.entries(meta.outputs)
      .filter(
        ([file, output]) =>
          file !== 'dist/handler.mjs' &&
          Object.keys(output.inputs).some((input) => /src\/oauth\/(page|token|authorize)\.ts$/.test(input)),
      )
      .map(([file]) => basename(file));
    expect(secretsManager.length).toBeGreaterThan(0);
    expect(oauthEndpoints.length).toBeGreaterThan(0);

    const log = join(built.dir, 'imports.log');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test/fixtures/import-recorder.mjs'),
        join(ROOT, 'test/fixtures/oauth-lazy-probe.mjs'),
        built.handler,
        join(ROOT, 'events'),
        KEY_A,
      ],
      {
        env: {
          ...process.env,
          ...stack.env,
          OAUTH: 'on',
          OAUTH_SECRET_ARN: ARN,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
          LOG_LEVEL: 'silent',
          IMPORT_LOG: log,
        },
      },
    );
    expect(stdout).toContain('OK');
    const [headerPath, registration] = (await readFile(log, 'utf8')).split(/PHASE \d\n/).map((text) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((url) => basename(url)),
    ) as [string[], string[]];
    const loaded = (files: string[], chunks: string[]) => files.filter((file) => chunks.includes(file));
    expect(headerPath).toContain('handler.mjs');
    expect(loaded(headerPath, secretsManager)).toEqual([]);
    expect(loaded(headerPath, oauthEndpoints)).toEqual([]);
    expect(loaded(registration, secretsManager).length).toBeGreaterThan(0);
    expect(calls).toEqual([
      { target: 'secretsmanager.GetSecretValue', body: { SecretId: ARN } },
      { target: 'secretsmanager.GetSecretValue', body: { SecretId: ARN, VersionStage: 'AWSPREVIOUS' } },
    ]);
  }, 60_000);
});
