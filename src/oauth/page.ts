import { createHash } from 'node:crypto';

/**
 * The sign-in page: one self-contained HTML document (no script, no external asset), served with a CSP
 * that allows only its own inline style (by hash), a form posting back here, and no framing at all.
 */

const STYLE = `
:root {
  color-scheme: light dark;
  --fg: #111;
  --muted: #555;
  --bg: #f6f6f4;
  --card: #fff;
  --line: #d9d9d4;
  --accent: #111;
  --accent-fg: #fff;
  --err: #b3261e;
  --err-bg: #fdecea;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #eee;
    --muted: #aaa;
    --bg: #161615;
    --card: #222220;
    --line: #3a3a37;
    --accent: #eee;
    --accent-fg: #111;
    --err: #ffb4ab;
    --err-bg: #3b1512;
  }
}
* {
  box-sizing: border-box;
}
body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  align-items: center;
  justify-content: center;
  background: var(--bg);
  color: var(--fg);
  font: 16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  padding: 24px;
}
main {
  width: 100%;
  max-width: 440px;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 14px;
  padding: 32px;
}
h1 {
  font-size: 1.35rem;
  margin: 0 0 4px;
}
.client {
  margin: 0 0 20px;
  color: var(--muted);
}
.client b {
  color: var(--fg);
}
.host {
  font-family: ui-monospace,SFMono-Regular,Menlo,monospace;
  font-size: .9em;
  background: var(--bg);
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 1px 6px;
  word-break: break-all;
}
label {
  display: block;
  font-weight: 600;
  margin: 0 0 6px;
}
input[type=password] {
  width: 100%;
  font: inherit;
  padding: 10px 12px;
  border: 1px solid var(--line);
  border-radius: 8px;
  background: var(--card);
  color: var(--fg);
}
input[type=password]:focus {
  outline: 2px solid var(--accent);
  outline-offset: 1px;
}
button {
  margin-top: 16px;
  width: 100%;
  font: inherit;
  font-weight: 600;
  padding: 11px;
  border: 0;
  border-radius: 8px;
  background: var(--accent);
  color: var(--accent-fg);
  cursor: pointer;
}
.note {
  font-size: .875rem;
  color: var(--muted);
  margin: 18px 0 0;
}
.note a {
  color: inherit;
}
.error {
  background: var(--err-bg);
  color: var(--err);
  border-radius: 8px;
  padding: 10px 12px;
  margin: 0 0 16px;
  font-size: .95rem;
}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export interface SignInPage {
  readonly clientName: string;
  readonly redirectHost: string;
  /** The sealed copy of the authorization request the form posts back. */
  readonly sealedRequest: string;
  readonly action: string;
  readonly error?: string;
}

export function signInPage(page: SignInPage, formTarget: string, status = 200): Response {
  const error = page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : '';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Connect ElevenLabs</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Connect your ElevenLabs account</h1>
<p class="client"><b>${escapeHtml(page.clientName)}</b>
at <span class="host">${escapeHtml(page.redirectHost)}</span>
asks to use ElevenLabs through this MCP server.</p>
${error}<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="request" value="${escapeHtml(page.sealedRequest)}">
<label for="api_key">ElevenLabs API key</label>
<input type="password" id="api_key" name="api_key" required
  autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="sk_..." autofocus>
<button type="submit">Connect</button>
</form>
<p class="note">Your key is checked with ElevenLabs, then sealed (encrypted) into the token that
${escapeHtml(page.clientName)} keeps. This server stores no key. Create or delete keys at
<a href="https://elevenlabs.io/app/settings/api-keys" rel="noreferrer" target="_blank">
elevenlabs.io, Settings &gt; API keys</a>; deleting the key ends this connection.</p>
</main>
</body>
</html>
`;
  return new Response(html, { status, headers: pageHeaders(formTarget) });
}

/**
 * A page for a request that cannot go back to the client (unknown client, unregistered redirect URI,
 * expired form).
 */
export function errorPage(title: string, message: string, status = 400): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="note">Nothing was sent back to the application. Start connecting again from the application.</p>
</main>
</body>
</html>
`;
  return new Response(html, { status, headers: pageHeaders(undefined) });
}

/**
 * `form-action` must also allow the redirect URI's origin: browsers apply it to the redirect that follows
 * the form's POST, and refuse it otherwise.
 */
function pageHeaders(formTarget: string | undefined): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    `form-action 'self'${formTarget ? ` ${formTarget}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: with it, browsers send `Origin: null` on the form's POST, and the POST checks Origin.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
