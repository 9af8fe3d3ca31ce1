import { InvalidApiKeyError, PermissionDeniedError } from '../errors/index.js';

/**
 * Whether ElevenLabs accepts a caller's key, for the things this server does on its own account rather
 * than ElevenLabs': signing upload and download URLs, listing and deleting stored files, downloading URL
 * inputs. Without the check, any made-up key on the public Function URL would get a fresh S3 prefix and
 * free storage and bandwidth. Generation tools need no check: ElevenLabs judges the key on the call itself.
 *
 * Verdicts are remembered per caller id (a hash of the key, never the key) for a short while, so a
 * session's storage calls pay for one probe every few minutes; a rejection is remembered for less time,
 * so a key that ElevenLabs was slow to activate is not locked out for long.
 */

export const ACCEPTED_TTL_MS = 5 * 60_000;
export const REJECTED_TTL_MS = 30_000;
export const MAX_VERDICTS = 1_000;

type Verdict =
  | { readonly accepted: true; readonly expires: number }
  | { readonly accepted: false; readonly expires: number; readonly error: InvalidApiKeyError };

/** A bounded map of recent verdicts, oldest evicted first. */
export class KeyVerdicts {
  private readonly entries = new Map<string, Verdict>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly acceptedTtlMs = ACCEPTED_TTL_MS,
    private readonly rejectedTtlMs = REJECTED_TTL_MS,
    private readonly maxEntries = MAX_VERDICTS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Resolves once ElevenLabs has accepted the key behind `callerId`, probing with `probe` (one cheap
   * authenticated call) unless a recent verdict exists; throws the same InvalidApiKeyError for a rejected
   * key every time. Any other failure of the probe (ElevenLabs down, a timeout) propagates and is not kept.
   */
  async verify(callerId: string, probe: () => Promise<unknown>, now = Date.now()): Promise<void> {
    const known = this.entries.get(callerId);
    if (known && known.expires > now) {
      if (known.accepted) return;
      throw known.error;
    }
    let running = this.pending.get(callerId);
    if (!running) {
      running = this.probe(callerId, probe).finally(() => this.pending.delete(callerId));
      this.pending.set(callerId, running);
    }
    return running;
  }

  private async probe(callerId: string, probe: () => Promise<unknown>): Promise<void> {
    try {
      await probe();
    } catch (error) {
      if (error instanceof InvalidApiKeyError) {
        this.put(callerId, { accepted: false, expires: Date.now() + this.rejectedTtlMs, error });
        throw error;
      }
      // A restricted key without the permission the probe needs is still a key ElevenLabs knows.
      if (!(error instanceof PermissionDeniedError)) throw error;
    }
    this.put(callerId, { accepted: true, expires: Date.now() + this.acceptedTtlMs });
  }

  private put(callerId: string, verdict: Verdict): void {
    this.entries.delete(callerId);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(callerId, verdict);
  }
}
