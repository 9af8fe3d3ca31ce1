import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputTooLargeError } from '../../src/errors/index.js';
import { readBounded } from '../../src/net/read-bounded.js';
import { readAll } from '../../src/toolkit/results.js';

const chunk = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

/** A web stream of these chunks that records whether it was cancelled. */
function webStream(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe('readBounded', () => {
  it('joins every chunk of a web stream, in order, up to exactly the cap', async () => {
    const { stream } = webStream([chunk(3, 1), chunk(2, 2)]);
    expect([...(await readBounded(stream, 5, () => new Error('too large')))]).toEqual([1, 1, 1, 2, 2]);
  });

  // A stream that has already closed has nothing left to cancel: these streams hold more than is read.
  it('throws the given error once the cap is passed, and cancels the web stream', async () => {
    const { stream, cancelled } = webStream([chunk(3, 1), chunk(3, 2), chunk(3, 3)]);
    await expect(readBounded(stream, 5, () => new Error('over five'))).rejects.toThrow('over five');
    expect(cancelled()).toBe(true);
  });

  it('reads a Node stream, and destroys it when the cap is passed', async () => {
    const small = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    expect(Buffer.from(await readBounded(small, 4, () => new Error('too large'))).toString()).toBe('abcd');

    const big = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
    await expect(readBounded(big, 4, () => new Error('too large'))).rejects.toThrow('too large');
    expect(big.destroyed).toBe(true);
  });

  it('answers an empty source with an empty array', async () => {
    expect((await readBounded(webStream([]).stream, 0, () => new Error('too large'))).byteLength).toBe(0);
  });
});

describe('readAll', () => {
  it('refuses generated audio over its bound with OutputTooLargeError', async () => {
    const { stream, cancelled } = webStream([chunk(600, 0), chunk(600, 0), chunk(600, 0)]);
    await expect(readAll(stream, 1000)).rejects.toBeInstanceOf(OutputTooLargeError);
    expect(cancelled()).toBe(true);
  });
});
