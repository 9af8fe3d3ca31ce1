import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../config.js';
import type { FunctionUrlHandler } from '../handler.js';
import { startEmbeddedS3 } from './embedded-s3.js';
import { startLocalServer } from './server.js';

/**
 * `npm start`: the built Lambda bundle (dist/handler.mjs, exactly what gets deployed) behind a local
 * Function URL emulation. Without S3 settings it starts an embedded S3-compatible server first.
 *
 *   node build/local/main.mjs [--handler path/to/handler.mjs] [--host 127.0.0.1]
 *   node build/local/main.mjs --s3-only     only the embedded S3, on 0.0.0.0:4569, for `sam local`
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = parseConfig(process.env);
  if (args.s3Only) return serveS3Only();

  let storage = `S3 bucket ${config.audioBucket ?? '(none: audio tools will report it)'}${config.s3Endpoint ? ` at ${config.s3Endpoint}` : ''}`;
  if (!config.audioBucket && !config.s3Endpoint) {
    const directory = resolve(process.env.LOCAL_S3_DIR ?? '.local/s3');
    const s3 = await startEmbeddedS3({ directory, bucket: 'elevenlabs-mcp-local', port: Number(process.env.LOCAL_S3_PORT ?? 0) });
    Object.assign(process.env, {
      AUDIO_BUCKET: s3.bucket,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    });
    storage = `embedded S3 (s3rver) at ${s3.endpoint}, bucket ${s3.bucket}, files in ${directory}`;
  }

  // OAuth's token-sealing secret: generated on first use and kept here (gitignored), so tokens survive restarts.
  process.env.OAUTH_SECRET_FILE ??= resolve('.local/oauth-secret.json');

  // Imported only now: the handler reads its configuration when its module loads.
  const handlerModule = resolve(args.handler ?? 'dist/handler.mjs');
  const { handler } = (await import(pathToFileURL(handlerModule).href)) as { handler: FunctionUrlHandler };
  const server = await startLocalServer({ handler, port: config.port, host: args.host ?? '127.0.0.1' });

  const endpoint = `${server.url}/mcp`;
  process.stdout.write(
    [
      `ElevenLabs MCP server (local Function URL emulation) listening on ${endpoint}`,
      `  handler: ${handlerModule}`,
      `  storage: ${storage}`,
      `  health:  curl ${server.url}/health`,
      '',
      'Try it:',
      `  curl -s ${endpoint} -H 'content-type: application/json' \\`,
      `    -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
      `  curl -s ${endpoint} -H 'content-type: application/json' -H "x-elevenlabs-api-key: $ELEVENLABS_API_KEY" \\`,
      `    -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"text_to_speech","arguments":{"text":"Hello!"}}}'`,
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** For `sam local start-api` / `sam local invoke`: the functions run in Docker and reach this through host.docker.internal. */
async function serveS3Only(): Promise<void> {
  const directory = resolve(process.env.LOCAL_S3_DIR ?? '.local/s3');
  const port = Number(process.env.LOCAL_S3_PORT ?? 4569);
  const s3 = await startEmbeddedS3({ directory, bucket: 'elevenlabs-mcp-local', port, address: '0.0.0.0' });
  process.stdout.write(`Embedded S3 on 0.0.0.0:${port}, bucket ${s3.bucket}, files in ${directory} (see events/sam-local-env.json)\n`);
}

function parseArgs(argv: string[]): { handler?: string; host?: string; s3Only?: boolean } {
  const out: { handler?: string; host?: string; s3Only?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--handler') out.handler = argv[++i];
    else if (argv[i] === '--host') out.host = argv[++i];
    else if (argv[i] === '--s3-only') out.s3Only = true;
  }
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
