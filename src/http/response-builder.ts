import type { LambdaFunctionURLResult } from 'aws-lambda';

export type FunctionUrlResult = Exclude<LambdaFunctionURLResult, string>;

const TEXTUAL = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded)\b)/i;

/**
 * Web Response -> Function URL result. Textual bodies go as they are; anything else is base64 with
 * `isBase64Encoded`, which is how a Function URL passes binary through. `Set-Cookie` must go in
 * `cookies[]`: a Function URL drops it from `headers`.
 */
export async function toFunctionUrlResult(response: Response): Promise<FunctionUrlResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();

  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const textual = bytes.byteLength === 0 || TEXTUAL.test(contentType);

  return {
    statusCode: response.status,
    headers,
    body: textual ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString('base64'),
    isBase64Encoded: !textual,
    ...(cookies.length ? { cookies } : {}),
  };
}
