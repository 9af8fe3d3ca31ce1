import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { callTool } from '../support/harness.js';
import { durations, usePlayerSuite } from '../support/player-suite.js';

// The MCP Apps player's links in headless Chromium, in a sandboxed iframe on another origin: the one S3
// origin its CSP declares, expired presigned links renewed through the host, and the violation Chromium
// reports under a CSP without that origin. The setup is test/support/player-suite.ts.

const player = usePlayerSuite(async (handler) => ({
  plain: await callTool(handler, 'text_to_speech', { text: 'An expired link gets renewed.' }),
  blocked: await callTool(handler, 'text_to_speech', { text: 'Blocked by the CSP.' }),
}));

describe('the MCP Apps player loads audio only from the S3 origin it declares', () => {
  it('declares exactly the S3 origin the presigned URLs use, and nothing else', () => {
    const content = player.resource.contents[0]!;
    expect(content.mimeType).toBe('text/html;profile=mcp-app');
    expect(content._meta.ui.csp).toEqual({ resourceDomains: [new URL(player.stack.s3.endpoint).origin] });
    expect(player.host.viewOrigin).not.toBe(player.host.hostOrigin);
  });

  it('asks the server for a fresh link through the host when the link has expired, and plays it', async () => {
    const result = player.results.plain;
    const s = result.structuredContent;
    // A URL signed two hours ago for a minute: what a result looks like after its link expired.
    const { s3 } = player.stack;
    const signer = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const expired = await getSignedUrl(signer, new GetObjectCommand({ Bucket: s3.bucket, Key: s.key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 3600_000),
    });
    expect((await fetch(expired)).status).toBe(403);
    const stale = { ...result, structuredContent: { ...s, url: expired } };

    const frame = await player.show(
      'text_to_speech',
      'Text to speech',
      { text: 'An expired link gets renewed.' },
      stale,
    );
    await durations(frame);
    const calls = await player.page.evaluate(() =>
      window.hostLog.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args })),
    );
    expect(calls).toEqual([{ name: 'get_audio_url', arguments: { audio_id: s.audio_id } }]);
    const fresh = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(fresh).not.toBe(expired);
    expect(new URL(fresh).pathname).toBe(new URL(s.url).pathname);
    expect((await fetch(fresh)).status).toBe(200);
    expect(await frame.getAttribute('a.download', 'href')).toBe(fresh);
    expect(await frame.textContent('.status')).toBe('');
    expect(player.cspViolations()).toEqual([]);
  });

  it('renews a link the result already says has expired before loading it', async () => {
    const s = player.results.plain.structuredContent;
    const stale = {
      ...player.results.plain,
      structuredContent: { ...s, url: `${s.url}&stale=1`, expires_at: new Date(Date.now() - 60_000).toISOString() },
    };
    const frame = await player.show('text_to_speech', 'Text to speech', {}, stale);
    await durations(frame);
    expect(await player.page.evaluate(() => window.hostLog.toolCalls.map((call) => call.name))).toEqual([
      'get_audio_url',
    ]);
    const src = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(src).not.toContain('stale=1');
    expect(new URL(src).pathname).toBe(new URL(s.url).pathname);
    expect(player.cspViolations()).toEqual([]);
  });

  it('under a CSP without the S3 origin, Chromium reports the violation (what others assert is absent)', async () => {
    const frame = await player.show('text_to_speech', 'Text to speech', {}, player.results.blocked, { csp: {} });
    await frame.waitForFunction(() =>
      /could not be loaded|no fresh one/.test(document.querySelector('.status')?.textContent ?? ''),
    );
    const s3Origin = new URL(player.stack.s3.endpoint).origin;
    expect(player.cspViolations().some((line) => line.includes(s3Origin) || /media-src/.test(line))).toBe(true);
  });
});
