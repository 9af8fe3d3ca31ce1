import { errorAnswer } from './json-rpc.js';

/**
 * A buffered Function URL returns at most 6 MB, counted on the invocation's result: the body as a JSON
 * string inside `{statusCode, headers, body}`, so a JSON body grows by its escaping. An answer past this
 * budget would make Lambda fail the invocation (the client sees a bare 502): it is replaced by errors that
 * say what happened. The margin leaves room for headers.
 */
export const MAX_ANSWER_BYTES = 5_500_000;

const INTERNAL_ERROR = -32603;

/** A JSON answer as it would be returned, or one that fits: the largest results of a batch give way first. */
export function withinAnswerBudget(text: string): string {
  // Escaped, a UTF-16 code unit takes at most 6 bytes (`\u001f`): most answers need no exact count.
  if (text.length * 6 + 2 <= MAX_ANSWER_BYTES || resultSize(text) <= MAX_ANSWER_BYTES) return text;

  const parsed: unknown = JSON.parse(text);
  const answers = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ id?: string | number | null }>;
  const sized = answers.map((answer, index) => ({ index, size: resultSize(JSON.stringify(answer)) }));
  let total = sized.reduce((sum, entry) => sum + entry.size, 0);
  const replaced = [...answers] as unknown[];
  for (const entry of sized.sort((a, b) => b.size - a.size)) {
    if (total <= MAX_ANSWER_BYTES) break;
    const error = errorAnswer(answers[entry.index]!.id ?? null, {
      code: INTERNAL_ERROR,
      message:
        `The answer to this request was ${(entry.size / 1e6).toFixed(1)} MB, more than this server can return ` +
        `(${MAX_ANSWER_BYTES / 1e6} MB in all). ` +
        'Ask for less at a time (smaller pages, no inline audio, one request per batch entry); generated files are ' +
        'still reachable with list_audio.',
    });
    total += resultSize(JSON.stringify(error)) - entry.size;
    replaced[entry.index] = error;
  }
  return JSON.stringify(Array.isArray(parsed) ? replaced : replaced[0]);
}

/** Bytes the body takes inside the Lambda result: UTF-8 of its JSON-string escaping. */
function resultSize(body: string): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}
