import { z } from 'zod';
import { InvalidArgumentsError } from '../errors/index.js';

/** Long text comes back in pages: a model reads a page, not a whole book. */
export const DEFAULT_PAGE_CHARACTERS = 50_000;
export const MAX_PAGE_CHARACTERS = 100_000;

export const maxCharactersField = z
  .number()
  .int()
  .min(1000)
  .max(MAX_PAGE_CHARACTERS)
  .default(DEFAULT_PAGE_CHARACTERS)
  .describe(`Most characters to return in this call; longer text comes in pages.`);

export const textPageShape = {
  offset: z.number().int().nonnegative().describe('Where this page starts in the whole text (characters).'),
  next_offset: z.number().int().nullable().describe('Where the next page starts; null when this page ends the text.'),
  total_characters: z.number().int().nonnegative().describe('Length of the whole text.'),
};

export interface TextPage {
  readonly text: string;
  readonly offset: number;
  readonly next_offset: number | null;
  readonly total_characters: number;
}

/**
 * The page of `text` starting at `offset`, at most `maxCharacters` long. A page that does not end the
 * text ends after a line break or space near its end when there is one, and never inside a surrogate pair.
 */
export function pageOf(text: string, offset: number, maxCharacters: number): TextPage {
  if (offset > text.length) {
    throw new InvalidArgumentsError(
      `offset ${offset} is past the end of the text, which has ${text.length} characters.`,
    );
  }
  let end = Math.min(text.length, offset + maxCharacters);
  if (end < text.length) {
    const floor = offset + Math.floor(maxCharacters * 0.9);
    const line = text.lastIndexOf('\n', end - 1);
    const breakAt = line >= floor ? line : text.lastIndexOf(' ', end - 1);
    if (breakAt >= floor) end = breakAt + 1;
    else if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  }
  return {
    text: text.slice(offset, end),
    offset,
    next_offset: end < text.length ? end : null,
    total_characters: text.length,
  };
}
