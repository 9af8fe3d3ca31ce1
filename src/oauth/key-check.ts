import { VERSION } from '../version.js';

/**
 * Before anything is issued, the key typed into the sign-in page is tried with one cheap read
 * (GET /v1/models: free, and served to any valid key). A key ElevenLabs calls invalid is refused; a valid
 * key that merely lacks the permission for this read (a key scoped to text to speech, say) or has run out
 * of quota is still the caller's real key, and is accepted.
 */
export type KeyCheck = { ok: true } | { ok: false; reason: string; status: number };

const TIMEOUT_MS = 10_000;

export async function checkKeyWithElevenLabs(baseUrl: string, apiKey: string): Promise<KeyCheck> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/models`, {
      headers: { 'xi-api-key': apiKey, accept: 'application/json', 'user-agent': `elevenlabs-mcp-lambda/${VERSION}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return {
      ok: false,
      status: 502,
      reason: 'ElevenLabs could not be reached to check the key. Try again in a moment.',
    };
  }
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true };
  }
  const status = await detailStatus(response);
  if (response.status === 401 || response.status === 403) {
    if (status === 'missing_permissions' || status === 'quota_exceeded') return { ok: true };
    return {
      ok: false,
      status: 400,
      reason:
        'ElevenLabs did not accept this API key. Check it (or create one) at elevenlabs.io under Settings > API ' +
        'keys, and paste it again.',
    };
  }
  if (response.status === 429)
    return { ok: false, status: 503, reason: 'ElevenLabs is rate-limiting requests right now. Try again in a moment.' };
  return {
    ok: false,
    status: 502,
    reason: `ElevenLabs answered HTTP ${response.status} while checking the key. Try again in a moment.`,
  };
}

async function detailStatus(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { detail?: { status?: unknown } };
    return typeof body.detail?.status === 'string' ? body.detail.status : undefined;
  } catch {
    return undefined;
  }
}
