import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Everything this authorization server hands out (client ids, the sign-in form's copy of the request,
 * codes, access and refresh tokens) is a sealed record: AES-256-GCM under a key derived from the
 * deployment secret, so it is both secret and tamper-proof, and nothing needs to be stored. Each record
 * names the key it was sealed with, so the secret can rotate while records sealed with the previous one
 * stay readable; and each names its purpose, which is bound into the authentication tag, so a code can
 * never pass for a token or a client id for a code.
 */

/** What a sealed record is for; the string is its visible prefix (`elmcp_at_...`). */
export type Purpose = 'at' | 'rt' | 'code' | 'rq' | 'ci';

/** The prefix of every token this server issues, so a bearer token without it is a raw ElevenLabs key. */
export const TOKEN_PREFIX = 'elmcp_';

export interface SealingKey {
  /** Short, public, derived from the key: names the key in every record sealed with it. */
  readonly id: string;
  readonly encryption: Buffer;
  /** For client secrets of confidential DCR clients: HMAC of the client id. */
  readonly mac: Buffer;
}

export interface SealingKeys {
  /** Seals everything new. */
  readonly current: SealingKey;
  /** Also accepted when unsealing (the secret's previous version), so a rotation logs no one out at once. */
  readonly previous: SealingKey | undefined;
}

/**
 * Derives the keys from a deployment secret (any string of enough entropy: Secrets Manager generates 64
 * characters).
 */
export function deriveKey(secret: string): SealingKey {
  if (secret.length < 32) throw new Error('the token-sealing secret must be at least 32 characters');
  const ikm = Buffer.from(secret, 'utf8');
  const encryption = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'elevenlabs-mcp oauth sealing v1', 32));
  const mac = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'elevenlabs-mcp oauth client secret v1', 32));
  const id = createHash('sha256').update('key id').update(encryption).digest('base64url').slice(0, 8);
  return { id, encryption, mac };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{8}$/;

/** Seals a JSON record for one purpose: `elmcp_<purpose>_<key id>.<base64url(iv | ciphertext | tag)>`. */
export function seal(keys: SealingKeys, purpose: Purpose, record: object): string {
  const key = keys.current;
  const head = `${TOKEN_PREFIX}${purpose}_${key.id}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.encryption, iv);
  cipher.setAAD(Buffer.from(head, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
  return `${head}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/**
 * The record inside a sealed string of this purpose, or undefined when it is not one: another purpose, an
 * unknown key id (a secret rotated away), or any change to any byte. Which of these it was is not said.
 */
export function unseal(keys: SealingKeys, purpose: Purpose, sealed: string): Record<string, unknown> | undefined {
  const head = `${TOKEN_PREFIX}${purpose}_`;
  if (!sealed.startsWith(head) || sealed.length > 16_384) return undefined;
  const dot = sealed.indexOf('.', head.length);
  const id = sealed.slice(head.length, dot);
  if (dot < 0 || !KEY_ID.test(id)) return undefined;
  const key = [keys.current, keys.previous].find((k) => k?.id === id);
  if (!key) return undefined;
  const bytes = Buffer.from(sealed.slice(dot + 1), 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(sealed.slice(0, dot), 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const record: unknown = JSON.parse(plain.toString('utf8'));
    return typeof record === 'object' && record !== null && !Array.isArray(record)
      ? (record as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The client secret of a confidential DCR client: derived from its id, so it needs no storage either. */
export function clientSecretFor(key: SealingKey, clientId: string): string {
  return createHmac('sha256', key.mac).update(clientId).digest('base64url');
}

export function checkClientSecret(keys: SealingKeys, clientId: string, secret: string): boolean {
  const given = Buffer.from(secret, 'utf8');
  return [keys.current, keys.previous].some((key) => {
    if (!key) return false;
    const expected = Buffer.from(clientSecretFor(key, clientId), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** A random identifier for a record (a code or refresh token's redemption key). */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
