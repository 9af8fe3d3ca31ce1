/** What we use of a /v1/models entry (read in direct.ts). */
export interface ModelInfo {
  readonly modelId: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly canDoTextToSpeech: boolean;
  readonly canDoVoiceConversion: boolean;
  /** Characters one request may carry, when ElevenLabs states it. */
  readonly maxCharacters: number | undefined;
  readonly languages: ReadonlyArray<{ readonly languageId: string; readonly name: string }>;
}

/**
 * Model lists, kept a few minutes so that text_to_speech can check the text length before spending
 * anything without a second round trip on every call. Entries are keyed by the caller's id (a hash of
 * their key): one caller's answer is never served to another, and the key itself is not kept.
 */
export class ModelListCache {
  private readonly entries = new Map<
    string,
    { readonly expires: number; readonly models: Promise<readonly ModelInfo[]> }
  >();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 500,
  ) {}

  get(callerId: string, load: () => Promise<readonly ModelInfo[]>, now = Date.now()): Promise<readonly ModelInfo[]> {
    const hit = this.entries.get(callerId);
    if (hit && hit.expires > now) return hit.models;
    const models = load();
    this.put(callerId, models, now);
    // A failed load is not remembered.
    models.catch(() => {
      if (this.entries.get(callerId)?.models === models) this.entries.delete(callerId);
    });
    return models;
  }

  put(callerId: string, models: Promise<readonly ModelInfo[]>, now = Date.now()): void {
    this.entries.delete(callerId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(callerId, { expires: now + this.ttlMs, models });
  }
}
