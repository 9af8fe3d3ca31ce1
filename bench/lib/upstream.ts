import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';

/** A key the fake accepts (it looks like a real key and is not). */
export const BENCH_KEY = 'sk_bench_0123456789abcdef0123456789abcdef01234567';
/** Audio bytes per text_to_speech answer: about 6 s of mp3_44100_128. */
export const AUDIO_BYTES = 100 * 1024;

/** One request as its server saw it: from the request's arrival to the last byte of the answer written. */
export interface ServiceEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

/** Service times of one server, in the order the requests finished. */
export class ServiceLog {
  entries: ServiceEntry[] = [];

  /** Times every request `server` answers, on its own clock: the time the peer spends, not the network. */
  attach(server: Server): void {
    server.on('request', (req, res) => {
      const started = performance.now();
      res.once('finish', () => {
        this.entries.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0]!,
          status: res.statusCode,
          ms: performance.now() - started,
        });
      });
    });
  }

  reset(): void {
    this.entries = [];
  }
}

export interface Upstream {
  readonly fake: FakeElevenLabs;
  /** Configuration for a handler process pointed at the fake and the S3 server. */
  readonly env: Record<string, string>;
  readonly elevenlabsLog: ServiceLog;
  readonly s3Log: ServiceLog;
  stop(): Promise<void>;
}

/**
 * The upstreams of a handler under test, in this process: the fake ElevenLabs API (test/support, real
 * shapes, answering at once with `AUDIO_BYTES` of audio) and s3rver, each with a log of its service times.
 */
export async function startUpstream(): Promise<Upstream> {
  const fake = new FakeElevenLabs();
  fake.fixedAudioBytes = AUDIO_BYTES;
  const baseUrl = await fake.start();
  fake.addKey(BENCH_KEY);
  const elevenlabsLog = new ServiceLog();
  elevenlabsLog.attach(fake.httpServer!);

  // s3rver keeps objects as files: on tmpfs when the machine has one, so that this virtual machine's disk
  // latency (which S3 itself does not share) stays out of the text_to_speech overhead figure.
  const directory = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'el-mcp-bench-s3-'));
  const bucket = 'bench-audio';
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await s3.run();
  const s3Log = new ServiceLog();
  s3Log.attach((s3 as unknown as { httpServer: Server }).httpServer);

  return {
    fake,
    env: {
      ELEVENLABS_BASE_URL: baseUrl,
      AUDIO_BUCKET: bucket,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    elevenlabsLog,
    s3Log,
    async stop() {
      await Promise.allSettled([fake.stop(), s3.close()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The environment of every handler process the bench starts: nothing inherited but PATH, so that
 * settings of this machine (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, which alone adds about 50 ms to every
 * Node start here) do not leak into the figures. A Lambda starts Node with a similarly small environment.
 */
export function handlerEnv(upstream: Upstream, extra: Record<string, string> = {}): Record<string, string> {
  // OAUTH=off: the bench's initialize and tools/list carry no credential, which OAuth answers with a 401.
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'info', OAUTH: 'off', ...upstream.env, ...extra };
}
