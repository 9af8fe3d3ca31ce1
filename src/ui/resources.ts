import type { Config } from '../config.js';
import { PLAYER_URI } from './player-meta.js';

export { PLAYER_URI };

/** MCP Apps' mimeType for an HTML view. */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** What the resources need of the deployment's configuration: where the presigned audio URLs point. */
export type UiResourceConfig = Pick<Config, 'audioBucket' | 'awsRegion' | 's3Endpoint'>;

/** The CSP domains a view declares (MCP Apps `McpUiResourceCsp`). */
export interface UiResourceCsp {
  readonly resourceDomains?: string[];
  readonly connectDomains?: string[];
}

/** A resources/list entry. */
export interface UiResourceListing {
  readonly uri: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: string;
  readonly _meta: { readonly ui: { readonly prefersBorder: boolean } };
}

/** A resources/read result. */
export interface UiResourceContents {
  readonly contents: Array<{
    readonly uri: string;
    readonly mimeType: string;
    readonly text: string;
    readonly _meta: { readonly ui: { readonly csp: UiResourceCsp; readonly prefersBorder: boolean } };
  }>;
}

/**
 * resources/read asked for a URI this server does not serve. The MCP layer answers it with the
 * resource-not-found error of SEP-2164: JSON-RPC -32602 (Invalid params), the URI in `data.uri`.
 */
export class UnknownUiResourceError extends Error {
  override name = 'UnknownUiResourceError';
  /** The JSON-RPC code SEP-2164 gives resource-not-found. */
  readonly code = -32602;
  constructor(
    readonly uri: string,
    options?: ErrorOptions,
  ) {
    super(`Resource ${JSON.stringify(uri.slice(0, 200))} not found; this server serves ${PLAYER_URI}.`, options);
  }
}

const PLAYER_LISTING: UiResourceListing = {
  uri: PLAYER_URI,
  name: 'audio_player',
  title: 'Audio player',
  description:
    'Plays the audio a tool produced, from its presigned link: voice, model, format, duration and characters billed, ' +
    'play/pause/seek/speed and download; previews side by side; the spoken text highlighted when timestamps were ' +
    'asked for.',
  mimeType: MCP_APP_MIME_TYPE,
  // The player draws its own card.
  _meta: { ui: { prefersBorder: false } },
};

/** The resources/list entries: the player, whatever the configuration (its CSP is in resources/read). */
export function listUiResources(_config: UiResourceConfig): UiResourceListing[] {
  return [PLAYER_LISTING];
}

/**
 * The resources/read result for `uri`: the player's HTML (loaded on first read only, so that no other
 * request pays for it) and the CSP naming the one origin it loads audio from. Throws
 * UnknownUiResourceError for any other URI.
 */
export async function readUiResource(uri: string, config: UiResourceConfig): Promise<UiResourceContents> {
  if (uri !== PLAYER_URI) throw new UnknownUiResourceError(uri);
  const { PLAYER_HTML } = await import('./player/html.generated.js');
  const origin = audioOrigin(config);
  return {
    contents: [
      {
        uri: PLAYER_URI,
        mimeType: MCP_APP_MIME_TYPE,
        text: PLAYER_HTML,
        _meta: { ui: { csp: origin ? { resourceDomains: [origin] } : {}, prefersBorder: false } },
      },
    ],
  };
}

/**
 * DNS suffixes of the AWS partitions other than `aws` (the S3 client's partitions table; checked against its
 * presigner in test/unit/ui-resources.test.ts).
 */
const PARTITION_SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cn-\w+-\d+$/, 'amazonaws.com.cn'],
  [/^eusc-de-\w+-\d+$/, 'amazonaws.eu'],
  [/^us-iso-\w+-\d+$/, 'c2s.ic.gov'],
  [/^us-isob-\w+-\d+$/, 'sc2s.sgov.gov'],
  [/^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk'],
  [/^us-isof-\w+-\d+$/, 'csp.hci.ic.gov'],
];

/**
 * The origin of the presigned download URLs the S3 client produces for this configuration, the one
 * origin the player's CSP allows: with AWS_ENDPOINT_URL_S3 (path-style), that endpoint's origin; in AWS,
 * the bucket's regional virtual-hosted endpoint, or the regional endpoint itself for a bucket name with
 * dots (which would not match the wildcard TLS certificate, so the client signs path-style). Undefined
 * when no bucket is configured: there is then no audio to play.
 */
export function audioOrigin(config: UiResourceConfig): string | undefined {
  if (!config.audioBucket) return undefined;
  if (config.s3Endpoint) return new URL(config.s3Endpoint).origin;
  const region = config.awsRegion;
  const suffix = PARTITION_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com';
  const host = config.audioBucket.includes('.')
    ? `s3.${region}.${suffix}`
    : `${config.audioBucket}.s3.${region}.${suffix}`;
  return `https://${host}`;
}
