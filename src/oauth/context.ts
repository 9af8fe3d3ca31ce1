import type { Logger } from '../logger.js';
import type { ClientResolver } from './clients.js';
import type { KeyCheck } from './key-check.js';
import type { RedemptionStore } from './redemptions.js';
import type { SecretSource } from './secret.js';

/** What the authorization server's endpoints share; built once per container (src/oauth/index.ts). */
export interface OAuthContext {
  readonly keys: SecretSource;
  readonly clients: ClientResolver;
  /** Undefined when there is nowhere to record redemptions (no bucket): the token endpoint then refuses. */
  readonly redemptions: RedemptionStore | undefined;
  readonly checkKey: (apiKey: string) => Promise<KeyCheck>;
  readonly logger: Logger;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly publicBaseUrl: string | undefined;
  /** Seconds since the epoch (tests move it to expire things). */
  readonly now: () => number;
}
