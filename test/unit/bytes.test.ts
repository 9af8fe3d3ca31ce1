import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/bytes.js';

describe('formatBytes, the one byte formatter', () => {
  it('names binary units as such and keeps exact limits exact', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(70_000)).toBe('68.4 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(5.5 * 1024 * 1024)).toBe('5.5 MiB');
    expect(formatBytes(4.125 * 1024 * 1024)).toBe('4.125 MiB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MiB');
  });
});
