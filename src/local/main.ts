import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../config.js';
import type { FunctionUrlHandler } from '../handler.js';
import { demoHandler, startDemoUpstream } from './demo.js';
import { startEmbeddedS3 } from './embedded-s3.js';
import { startLocalServer } from './server.js';

/**
 * `npm start`: the built Lambda bundle (dist/handler.mjs, exactly what gets deployed) behind a local
 * Function URL emulation. Without S3 settings it starts an embedded S3-compatible server first.
 * `npm run demo` adds `--demo`: a bundled fake ElevenLabs API instead of the real one.
 */

const USAGE = `Usage:
  npm start                 the Lambda bundle (dist/) behind a local Function URL, against ElevenLabs
  npm run demo              the same against a bundled fake ElevenLabs API: no key needed, nothing billed
  npm start -- [options]    (or: node build/local/main.mjs [options], after npm run build)

Options:
  --demo                    use the bundled fake ElevenLabs API (what npm run demo does)
  --handler <path>          the handler bundle to serve (default: dist/handler.mjs)
  --host <address>          the address to listen on (default: 127.0.0.1)
  --s3-only                 only the embedded S3, on 0.0.0.0:4569, for sam local (npm run local-s3)
  -h, --help                print this and exit

Environment:
  PORT                      port to listen on (default: 3000; 0 picks a free one)
  ELEVENLABS_BASE_URL       ElevenLabs API base URL (default: https://api.elevenlabs.io; ignored with --demo)
  ELEVENLABS_RESIDENCY      us, eu, in or sg: that data-residency host instead
  AUDIO_BUCKET, AWS_ENDPOINT_URL_S3
                            an S3 bucket (and S3-compatible endpoint) for audio; without both, an embedded S3
  LOCAL_S3_DIR              where the embedded S3 keeps its files (default: .local/s3)
  LOCAL_S3_PORT             port of the embedded S3 (default: any free one; 4569 with --s3-only)
  LOG_LEVEL, ALLOWED_ORIGINS, ENABLED_TOOLS, AUDIO_URL_TTL_SECONDS, ELEVENLABS_DEFAULT_VOICE_ID
                            as in the Lambda function (see README.md, Configuration)

Each request brings the caller's ElevenLabs key (x-elevenlabs-api-key header or Authorization: Bearer).
`;

interface Args {
  handler?: string;
  host?: string;
  s3Only?: boolean;
  demo?: boolean;
  help?: boolean;
}

/** Thrown for what the person starting the server can fix: printed as it is, without a stack. */
class StartError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.s3Only) return serveS3Only();

  let upstream = 'ElevenLabs';
  if (args.demo) {
    const fake = await startDemoUpstream();
    // The handler reads these when its module loads, below.
    process.env.ELEVENLABS_BASE_URL = fake.baseUrl;
    delete process.env.ELEVENLABS_RESIDENCY;
    upstream = 'the bundled fake ElevenLabs API';
  }
  const config = parseConfig(process.env);

  const bucket = config.audioBucket ?? '(none: audio tools will report it)';
  let storage = `S3 bucket ${bucket}${config.s3Endpoint ? ` at ${config.s3Endpoint}` : ''}`;
  if (!config.audioBucket && !config.s3Endpoint) {
    const directory = resolve(process.env.LOCAL_S3_DIR ?? '.local/s3');
    const s3 = await startEmbeddedS3({
      directory,
      bucket: 'elevenlabs-mcp-local',
      port: Number(process.env.LOCAL_S3_PORT ?? 0),
    });
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
  const host = args.host ?? '127.0.0.1';
  const server = await startLocalServer({
    handler: args.demo ? demoHandler(handler) : handler,
    port: config.port,
    host,
  }).catch((error: unknown) => {
    throw listenError(error, config.port, host);
  });

  const endpoint = `${server.url}/mcp`;
  const keyHeader = args.demo ? '' : ` -H "x-elevenlabs-api-key: $ELEVENLABS_API_KEY"`;
  process.stdout.write(
    [
      `ElevenLabs MCP server (local Function URL emulation) listening on ${endpoint}`,
      ...(args.demo
        ? [
            '',
            '  *** DEMO MODE ***  Answers come from a fake ElevenLabs API on this machine, not from ElevenLabs:',
            '  any key (or none) works, nothing is billed, and generated audio is a sample clip. Every tool',
            '  answer says so. Use `npm start` with your own key for the real thing.',
            '',
          ]
        : []),
      `  mode:       ` +
        `${args.demo ? 'DEMO (fake ElevenLabs API)' : 'real ElevenLabs API; every request brings its own key'}`,
      `  ElevenLabs: ${config.elevenLabsBaseUrl}${args.demo ? ` (${upstream})` : ''}`,
      `  handler:    ${handlerModule}`,
      `  storage:    ${storage}`,
      `  health:     curl ${server.url}/health`,
      `  options:    node build/local/main.mjs --help`,
      '',
      'Try it:',
      `  curl -s ${endpoint} -H 'content-type: application/json' \\`,
      `    -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
      `  curl -s ${endpoint} -H 'content-type: application/json'${keyHeader} \\`,
      `    -d '{"jsonrpc":"2.0","id":2,"method":"tools/call",` +
        `"params":{"name":"text_to_speech","arguments":{"text":"Hello!"}}}'`,
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** What listen() failing means for someone who ran `npm start`. */
function listenError(error: unknown, port: number, host: string): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new StartError(
      `Port ${port} on ${host} is already in use (another npm start or npm run demo?). ` +
        `Stop that process, or set PORT to a free port: PORT=${port + 1} npm start (PORT=0 picks any free port).`,
    );
  }
  if (code === 'EACCES')
    return new StartError(
      `Port ${port} needs privileges this user lacks. Set PORT to a port above 1023, e.g. PORT=3000 npm start.`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new StartError(
      `${host} is not an address of this machine. Pass --host 127.0.0.1 (or 0.0.0.0 for every interface).`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * For `sam local start-api` / `sam local invoke`: the functions run in Docker and reach this through
 * host.docker.internal.
 */
async function serveS3Only(): Promise<void> {
  const directory = resolve(process.env.LOCAL_S3_DIR ?? '.local/s3');
  const port = Number(process.env.LOCAL_S3_PORT ?? 4569);
  const s3 = await startEmbeddedS3({ directory, bucket: 'elevenlabs-mcp-local', port, address: '0.0.0.0' }).catch(
    (error: unknown) => {
      throw (error as { code?: unknown }).code === 'EADDRINUSE'
        ? new StartError(
            `Port ${port} is already in use. Set LOCAL_S3_PORT to a free port (and the same port in ` +
              `events/sam-local-env.json).`,
          )
        : error;
    },
  );
  process.stdout.write(
    `Embedded S3 on 0.0.0.0:${port}, bucket ${s3.bucket}, files in ${directory} (see events/sam-local-env.json)\n`,
  );
}

function parseArgs(argv: string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--handler' || arg === '--host') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new StartError(`${arg} needs a value.\n\n${USAGE}`, 2);
      out[arg === '--handler' ? 'handler' : 'host'] = value;
    } else if (arg === '--s3-only') out.s3Only = true;
    else if (arg === '--demo') out.demo = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else throw new StartError(`Unknown option: ${arg}\n\n${USAGE}`, 2);
  }
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof StartError ? error.exitCode : 1);
});
