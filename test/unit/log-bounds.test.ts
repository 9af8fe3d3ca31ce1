import { describe, expect, it } from 'vitest';
import { boundForLog, MAX_LOG_FIELDS_CHARS } from '../../src/logger.js';

describe('boundForLog', () => {
  it('keeps small values as they are', () => {
    const value = { tool: 'text_to_speech', status: 200, rpc: ['tools/call'], nested: { a: [1, 2, 3] } };
    expect(boundForLog(value)).toEqual(value);
  });

  it('cuts huge arrays, strings and key lists to a few KB, keeps plain fields, says what was left out', () => {
    const huge = {
      messages: Array.from({ length: 1_000 }, (_, i) => ({
        id: i,
        arguments: Array.from({ length: 100 }, (_, j) => `arg${j}`),
      })),
      text: 'x'.repeat(1_000_000),
      status: 200,
      tool: 'text_to_speech',
    };
    const bounded = boundForLog(huge) as Record<string, unknown>;
    const json = JSON.stringify(bounded);
    expect(json.length).toBeLessThan(MAX_LOG_FIELDS_CHARS + 1_000);
    expect(bounded.status).toBe(200);
    expect(bounded.tool).toBe('text_to_speech');
    expect(bounded.text).toMatch(/\.\.\.\(1000000 chars\)$/);
    expect(json).toMatch(/"\.\.\.\d+ more"/);
  });

  it('bounds an object with very many keys', () => {
    const many = Object.fromEntries(Array.from({ length: 650_000 }, (_, i) => [`k${i}`, i]));
    const bounded = boundForLog(many) as Record<string, unknown>;
    expect(Object.keys(bounded).length).toBeLessThanOrEqual(21);
    expect(bounded['...']).toBe(`${650_000 - 20} more fields`);
  });
});
