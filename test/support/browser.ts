import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface BrowserSignIn {
  /** Where the sign-in ended: the client's redirect URI with code, state and iss. */
  readonly finalUrl: string;
  /** Console messages the page logged (a CSP violation would be one). */
  readonly console: string[];
}

/**
 * Opens an authorization URL as a person would, types the key into the password field and submits; the
 * page's redirect then lands on the client's callback, which answers the browser.
 */
export async function signInWithBrowser(
  browser: Browser,
  authorizationUrl: string,
  apiKey: string,
  callbackPrefix: string,
): Promise<BrowserSignIn> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  try {
    await page.goto(authorizationUrl);
    await page.locator('input[type=password]').fill(apiKey);
    try {
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(callbackPrefix), { timeout: 30_000 }),
        page.locator('button[type=submit]').click(),
      ]);
    } catch (error) {
      const body = page.locator('body');
      // Playwright's innerText, not the DOM property: the text the page shows, without its style and script.
      // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's method, not a DOM node's
      const text = await body.innerText().catch(() => '(no body)');
      throw new Error(
        `the sign-in did not reach ${callbackPrefix}: at ${page.url()}, showing: ${text.slice(0, 500)}; console: ` +
          `${console.join(' | ')}`,
        { cause: error },
      );
    }
    return { finalUrl: page.url(), console };
  } finally {
    await context.close();
  }
}
