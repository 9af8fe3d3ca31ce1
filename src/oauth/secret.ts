import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OAuthConfig } from '../config.js';
import { deriveKey, type SealingKeys } from './sealing.js';

/**
 * Where the token-sealing secret comes from: AWS Secrets Manager in a deployment (template.yaml generates
 * it), a generated local file for `npm start`. It is loaded when a request first needs it (a token to
 * unseal, a page to seal), never at start-up: a request with the key in a header loads nothing of this.
 * Never logged, never returned.
 */
export type SecretSource = () => Promise<SealingKeys>;

/** Thrown when OAuth is on but no secret is configured; the request gets a 503 naming the setting. */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

/** How long a container trusts its copy of the secret: a rotation takes effect within this time. */
const CACHE_MS = 5 * 60_000;

export function secretSourceFor(config: OAuthConfig, region: string): SecretSource {
  if (config.secretArn) return cached(() => fromSecretsManager(config.secretArn!, region), CACHE_MS);
  if (config.secretFile) return cached(() => fromLocalFile(config.secretFile!), Number.POSITIVE_INFINITY);
  return () =>
    Promise.reject(
      new SecretUnavailableError(
        'OAuth is on but no token-sealing secret is configured: set OAUTH_SECRET_ARN (template.yaml does) or ' +
          'OAUTH_SECRET_FILE, or OAUTH=off.',
      ),
    );
}

/** Fixed keys, for tests: `current` seals, `previous` is also accepted. */
export function fixedSecret(current: string, previous?: string): SecretSource {
  const keys: SealingKeys = {
    current: deriveKey(current),
    previous: previous === undefined ? undefined : deriveKey(previous),
  };
  return () => Promise.resolve(keys);
}

function cached(load: SecretSource, ttlMs: number): SecretSource {
  let entry: { keys: Promise<SealingKeys>; at: number } | undefined;
  return () => {
    const now = Date.now();
    if (!entry || now - entry.at > ttlMs) {
      const keys = load();
      entry = { keys, at: now };
      // A failed load is not kept: the next request tries again.
      keys.catch(() => {
        if (entry?.keys === keys) entry = undefined;
      });
    }
    return entry.keys;
  };
}

/**
 * AWSCURRENT seals and is accepted; AWSPREVIOUS (what the secret was before its last rotation) is
 * accepted too, so tokens issued before a rotation keep working until the next one.
 */
async function fromSecretsManager(arn: string, region: string): Promise<SealingKeys> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region, maxAttempts: 2 });
  const current = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  let previous: string | undefined;
  try {
    previous = (await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })))
      .SecretString;
  } catch (error) {
    // A secret never rotated has no AWSPREVIOUS version.
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  if (!current.SecretString)
    throw new SecretUnavailableError('the token-sealing secret in Secrets Manager has no string value');
  return {
    current: deriveKey(secretValue(current.SecretString)),
    previous: previous ? deriveKey(secretValue(previous)) : undefined,
  };
}

/** The template stores `{"secret": "<generated>"}` (GenerateStringKey); a plain string works as well. */
function secretValue(stored: string): string {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { secret?: unknown }).secret === 'string')
      return (parsed as { secret: string }).secret;
  } catch {
    // not JSON: the string itself
  }
  return stored;
}

/** `{"secret": "...", "previous": "..."}`, written with a fresh secret (mode 0600) when the file is missing. */
async function fromLocalFile(path: string): Promise<SealingKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = JSON.stringify({ secret: randomBytes(32).toString('base64url') });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      // Another process wrote it first: use theirs.
      if (e.code !== 'EEXIST') throw e;
      text = await readFile(path, 'utf8');
    });
  }
  const parsed = JSON.parse(text) as { secret?: unknown; previous?: unknown };
  if (typeof parsed.secret !== 'string') throw new SecretUnavailableError(`${path} must hold {"secret": "..."}`);
  return {
    current: deriveKey(parsed.secret),
    previous: typeof parsed.previous === 'string' ? deriveKey(parsed.previous) : undefined,
  };
}
