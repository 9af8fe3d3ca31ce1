/** What a network failure is, read from the codes Node, undici and TLS put on an error and its causes. */

/**
 * Codes of network failures: system errnos (ECONNRESET, EAI_AGAIN), undici's, and TLS certificate errors.
 * Not Node's own ERR_* codes (an invalid argument is a bug of ours, not a network failure).
 */
const NETWORK_CODE =
  /^(E[A-Z]+|EAI_[A-Z]+|UND_ERR_\w+|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|UNABLE_TO_\w+|DEPTH_ZERO_\w+|SELF_SIGNED_\w+)$/;

/** The first network failure code in a cause chain (AggregateError's members included). */
export function networkCode(error: unknown, depth = 0): string | undefined {
  if (!isRecord(error) || depth > 5) return undefined;
  if (typeof error.code === 'string' && NETWORK_CODE.test(error.code)) return error.code;
  for (const inner of Array.isArray(error.errors) ? error.errors : []) {
    const code = networkCode(inner, depth + 1);
    if (code) return code;
  }
  return networkCode(error.cause, depth + 1);
}

/**
 * Why a connection could not be opened, by the system or undici code: the request never left. `lasting` when
 * trying again in a moment would meet the same answer (a name that does not resolve, a closed port, a refused
 * certificate).
 */
const NOT_CONNECTED: ReadonlyArray<[RegExp, string, boolean]> = [
  [/^ENOTFOUND$/, 'DNS lookup failed (the host name does not resolve)', true],
  [/^EAI_AGAIN$/, 'DNS lookup failed (the resolver did not answer)', false],
  [/^ECONNREFUSED$/, 'the connection was refused (nothing listens at that address and port)', true],
  [/^E(HOST|NET)UNREACH$|^ENETDOWN$/, 'there is no network route to it', false],
  [/^UND_ERR_CONNECT_TIMEOUT$/, 'opening the connection timed out', false],
  [
    /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/,
    'the TLS handshake failed (its certificate was not accepted)',
    true,
  ],
  // OpenSSL's own failures, as Node names them (ERR_SSL_WRONG_VERSION_NUMBER: the port does not speak TLS).
  [/^ERR_SSL_/, 'the TLS handshake failed (no secure connection could be agreed on)', true],
];

/** Why a connection could not be opened, for a network code; undefined when it opened and broke later. */
export function notConnected(code: string): { readonly why: string; readonly lasting: boolean } | undefined {
  const found = NOT_CONNECTED.find(([pattern]) => pattern.test(code));
  return found && { why: found[1], lasting: found[2] };
}

/** Why a connection could not be opened, for a network code; undefined when it opened and broke later. */
export function whyNotConnected(code: string): string | undefined {
  return notConnected(code)?.why;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
