import { describe, expect, it } from 'vitest';
import { fetchWithinDeadline, retryBackoff } from '../../src/elevenlabs/client.js';
import { deadlineFrom, type Deadline } from '../../src/net/deadline.js';

/** A fetch that answers from a script and counts calls; no network. */
function scripted(...answers: Array<() => Response | Promise<Response>>) {
  const calls: RequestInit[] = [];
  const impl = (async (_input: unknown, init?: RequestInit) => {
    calls.push(init ?? {});
    const next = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return next();
  }) as typeof fetch;
  return { impl, calls };
}

const roomy = (): Deadline => deadlineFrom(60_000);

describe('fetchWithinDeadline', () => {
  it('leaves a margin of the remaining time for storing and answering', () => {
    const now = Date.now();
    expect(deadlineFrom(300_000, now).at).toBe(now + 295_000);
    expect(deadlineFrom(3_000, now).at).toBe(now + 2_500);
  });

  it('retries a 503 and a 429 with a short Retry-After, then returns the success', async () => {
    const { impl, calls } = scripted(
      () => new Response('busy', { status: 503 }),
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      () => new Response('ok'),
    );
    const response = await fetchWithinDeadline('http://x/v1/x', { method: 'POST', body: '{}' }, roomy(), impl);
    expect(await response.text()).toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('hands back a 429 whose Retry-After is longer than it will wait', async () => {
    const { impl, calls } = scripted(
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '120' } }),
    );
    const response = await fetchWithinDeadline('http://x', { method: 'POST', body: '{}' }, roomy(), impl);
    expect(response.status).toBe(429);
    expect(calls).toHaveLength(1);
  });

  it('does not retry when the wait would not fit before the deadline', async () => {
    const { impl, calls } = scripted(() => new Response('busy', { status: 503 }));
    const response = await fetchWithinDeadline('http://x', { method: 'GET' }, deadlineFrom(2_000), impl);
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it('retries a 500 or a 502 for a read, never for a POST, which may have taken effect', async () => {
    const post = scripted(() => new Response('oops', { status: 500 }));
    expect((await fetchWithinDeadline('http://x', { method: 'POST', body: '{}' }, roomy(), post.impl)).status).toBe(
      500,
    );
    expect(post.calls).toHaveLength(1);
    const get = scripted(
      () => new Response('oops', { status: 502 }),
      () => new Response('ok'),
    );
    expect(await (await fetchWithinDeadline('http://x', { method: 'GET' }, roomy(), get.impl)).text()).toBe('ok');
    expect(get.calls).toHaveLength(2);
  });

  it('gives up after two retries', async () => {
    const { impl, calls } = scripted(() => new Response('busy', { status: 502, headers: { 'retry-after': '0' } }));
    expect((await fetchWithinDeadline('http://x', {}, roomy(), impl)).status).toBe(502);
    expect(calls).toHaveLength(3);
  });

  it('waits about half a second before the first retry without a Retry-After, unless a test shortened it', () => {
    expect(retryBackoff.firstMs).toBe(500);
  });

  it('retries a failed connection for a GET but never for a POST, which may have been billed', async () => {
    const failing = () => Promise.reject(new TypeError('fetch failed'));
    const get = scripted(failing, () => new Response('ok'));
    expect(await (await fetchWithinDeadline('http://x', { method: 'GET' }, roomy(), get.impl)).text()).toBe('ok');
    const post = scripted(failing);
    await expect(fetchWithinDeadline('http://x', { method: 'POST', body: '{}' }, roomy(), post.impl)).rejects.toThrow(
      'fetch failed',
    );
    expect(post.calls).toHaveLength(1);
  });

  it('does not retry a body it cannot send twice', async () => {
    const { impl, calls } = scripted(() => new Response('busy', { status: 503 }));
    const body = new ReadableStream({ start: (c) => c.close() });
    await fetchWithinDeadline('http://x', { method: 'POST', body, duplex: 'half' } as RequestInit, roomy(), impl);
    expect(calls).toHaveLength(1);
  });

  it('passes an abort signal that fires at the deadline', async () => {
    const { impl, calls } = scripted(() => new Response('ok'));
    const deadline = deadlineFrom(60_000);
    await fetchWithinDeadline('http://x', {}, deadline, impl);
    expect(calls[0]!.signal).toBeInstanceOf(AbortSignal);
    const hung = ((_i: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)),
      )) as typeof fetch;
    await expect(
      fetchWithinDeadline('http://x', {}, { at: Date.now() + 50, signal: AbortSignal.timeout(50) }, hung),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
