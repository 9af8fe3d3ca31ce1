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

  const textual = TEXTUAL.test(response.headers.get('content-type') ?? '');
  const body = textual ? await response.text() : Buffer.from(await response.arrayBuffer()).toString('base64');
  return {
    statusCode: response.status,
    headers,
    body,
    isBase64Encoded: !textual && body !== '',
    ...(cookies.length ? { cookies } : {}),
  };
}
