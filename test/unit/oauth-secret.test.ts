import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { deriveKey } from '../../src/oauth/sealing.js';
import { secretSourceFor, SecretUnavailableError } from '../../src/oauth/secret.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oauth-secret-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the local sealing secret (npm start)', () => {
  it('is generated on first use, readable by its owner only, and the same ever after', async () => {
    const file = join(dir, 'nested', 'oauth-secret.json');
    const config = parseConfig({ OAUTH_SECRET_FILE: file }).oauth;
    const first = await secretSourceFor(config, 'us-east-1')();
    const stored = JSON.parse(await readFile(file, 'utf8')) as { secret: string };
    expect(stored.secret.length).toBeGreaterThanOrEqual(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.current.id).toBe(deriveKey(stored.secret).id);
    expect(first.previous).toBeUndefined();
    const again = await secretSourceFor(config, 'us-east-1')();
    expect(again.current.id).toBe(first.current.id);
  });

  it('takes a previous secret, for rotating locally', async () => {
    const file = join(dir, 'rotated.json');
    await writeFile(file, JSON.stringify({ secret: 'n'.repeat(40), previous: 'o'.repeat(40) }));
    const keys = await secretSourceFor(parseConfig({ OAUTH_SECRET_FILE: file }).oauth, 'us-east-1')();
    expect(keys.current.id).toBe(deriveKey('n'.repeat(40)).id);
    expect(keys.previous?.id).toBe(deriveKey('o'.repeat(40)).id);
  });

  it('is refused, with the settings to use, when none is configured', async () => {
    await expect(secretSourceFor(parseConfig({}).oauth, 'us-east-1')()).rejects.toThrow(SecretUnavailableError);
    await expect(secretSourceFor(parseConfig({}).oauth, 'us-east-1')()).rejects.toThrow(/OAUTH_SECRET_ARN/);
  });
});
