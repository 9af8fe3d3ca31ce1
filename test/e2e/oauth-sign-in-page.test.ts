import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.js';
import { registerPublicClient, type SignInServer, startSignInServer } from '../support/oauth-e2e.js';

/**
 * The OAuth sign-in page of the server `npm start` runs (the built bundle, OAUTH on by default), opened in
 * headless Chromium as a person's browser would open it: it shows its form to the browser that navigates to
 * it, and refuses to show it inside another site's frame. The sign-ins themselves: oauth-clients.test.ts.
 */

let server: SignInServer;

beforeAll(async () => {
  server = await startSignInServer('oauth-sign-in-page');
}, 120_000);

afterAll(() => server?.stop());

describe.skipIf(!hasChromium)('the sign-in page in a real browser', () => {
  it('refuses to be framed by another page (clickjacking)', async () => {
    const clientId = await registerPublicClient(server.url, 'Framed', ['https://framed.example/cb']);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'https://framed.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const signInUrl = `${server.url}/oauth/authorize?${query}`;
    // The attacker's page, on another origin (localhost vs 127.0.0.1).
    // It frames the sign-in page and, as the control, a page of its own with a password field.
    const attacker = createServer((req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          req.url === '/inner'
            ? '<!doctype html><input type="password">'
            : `<!doctype html><iframe name="own" src="/inner"></iframe><iframe name="target" ` +
                `src="${signInUrl.replace(/&/g, '&amp;')}"></iframe>`,
        ),
    );
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    const page = await server.browser.newPage();
    try {
      const direct = await page.goto(signInUrl);
      expect(direct?.status()).toBe(200);
      expect(await page.locator('input[type=password]').count()).toBe(1);
      // The load event waits for both frames, the refused one included.
      await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`, { waitUntil: 'load' });
      // Frames found through their elements: a refused frame shows Chromium's error page, whose frame
      // Playwright may not list under the iframe's name.
      const own = (await (await page.$('iframe[name=own]'))!.contentFrame())!;
      const target = (await (await page.$('iframe[name=target]'))!.contentFrame())!;
      expect(await own.locator('input[type=password]').count()).toBe(1);
      expect(await target.locator('input[type=password]').count()).toBe(0);
    } finally {
      await page.close();
      await new Promise<void>((r) => attacker.close(() => r()));
    }
  });
});
