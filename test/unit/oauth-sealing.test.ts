import { describe, expect, it } from 'vitest';
import {
  checkClientSecret,
  clientSecretFor,
  deriveKey,
  seal,
  unseal,
  type SealingKeys,
} from '../../src/oauth/sealing.js';

const A = deriveKey('a'.repeat(40));
const B = deriveKey('b'.repeat(40));
const only = (current: typeof A, previous?: typeof A): SealingKeys => ({ current, previous });

describe('sealed records', () => {
  it('round-trip, carry their purpose and key id in the clear and nothing else', () => {
    const sealed = seal(only(A), 'at', { k: 'sk_secret_value', exp: 1 });
    expect(sealed).toMatch(new RegExp(`^elmcp_at_${A.id}\\.[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('sk_secret_value');
    expect(Buffer.from(sealed.split('.')[1]!, 'base64url').toString('latin1')).not.toContain('sk_secret');
    expect(unseal(only(A), 'at', sealed)).toEqual({ k: 'sk_secret_value', exp: 1 });
  });

  it('are refused for another purpose, even with the prefix rewritten', () => {
    const sealed = seal(only(A), 'rt', { id: 'x' });
    expect(unseal(only(A), 'at', sealed)).toBeUndefined();
    expect(unseal(only(A), 'at', sealed.replace('elmcp_rt_', 'elmcp_at_'))).toBeUndefined();
  });

  it('are refused when any byte changes', () => {
    const sealed = seal(only(A), 'code', { id: 'x' });
    const body = sealed.split('.')[1]!;
    for (let i = 0; i < body.length; i += 7) {
      const flipped = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1);
      expect(unseal(only(A), 'code', `${sealed.split('.')[0]}.${flipped}`)).toBeUndefined();
    }
    expect(unseal(only(A), 'code', sealed.slice(0, -1))).toBeUndefined();
    expect(unseal(only(A), 'code', 'elmcp_code_')).toBeUndefined();
    expect(unseal(only(A), 'code', 'garbage')).toBeUndefined();
  });

  it('survive one rotation (previous key accepted) and not two', () => {
    const sealed = seal(only(A), 'at', { v: 1 });
    expect(unseal(only(B, A), 'at', sealed)).toEqual({ v: 1 });
    expect(unseal(only(deriveKey('c'.repeat(40)), B), 'at', sealed)).toBeUndefined();
    // New records use the current key.
    expect(seal(only(B, A), 'at', {})).toContain(`_${B.id}.`);
  });

  it('derive client secrets that check against the id they were made for only', () => {
    const secret = clientSecretFor(A, 'client-1');
    expect(checkClientSecret(only(A), 'client-1', secret)).toBe(true);
    expect(checkClientSecret(only(A), 'client-2', secret)).toBe(false);
    expect(checkClientSecret(only(B, A), 'client-1', secret)).toBe(true);
    expect(checkClientSecret(only(B), 'client-1', secret)).toBe(false);
  });

  it('refuse a secret too short to be one', () => {
    expect(() => deriveKey('short')).toThrow(/at least 32/);
  });
});
