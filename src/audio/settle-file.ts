import { InvalidArgumentsError } from '../errors/index.js';
import type { FileInputArgs, ResolvedFile, ResolveOptions } from './inputs.js';
import {
  extensionForType,
  extensionOf,
  isGenericType,
  isTypeAllowed,
  sniffType,
  typeForExtension,
} from './media-types.js';

/**
 * What an input file is called and what type it is, settled once its bytes are in hand: the caller's
 * word first, then the source's, then the name, then the bytes. The type is then checked against what
 * the tool takes, and the name made safe for a multipart header.
 */

/** A file as its source gave it (downloaded, read from storage, decoded), before its name and type are settled. */
export interface LoadedFile {
  readonly bytes: Uint8Array;
  /** The type the source states: the Content-Type, the stored type, a data: URL's type. */
  readonly declared: string | undefined;
  readonly name: string | undefined;
  readonly source: ResolvedFile['source'];
}

// Path parts, control characters and quotes never reach a multipart header.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
const UNSAFE_IN_FILENAME = /[\x00-\x1f\x7f"]/g;

/** The file with its name and type, or the error that says which types the tool takes. */
export function settleFile(file: LoadedFile, args: FileInputArgs, options: ResolveOptions): ResolvedFile {
  const name = cleanFilename(present(args.filename) ? args.filename! : file.name);
  const mimeType = decideType(file, name, args, options);
  if (!isTypeAllowed(mimeType, options.allowedTypes)) {
    const page =
      mimeType === 'text/html' && file.source === 'url'
        ? ' The URL served a web page: link the file itself, not a page that shows it.'
        : '';
    throw new InvalidArgumentsError(
      `${options.purpose} takes ${describeTypes(options.allowedTypes)}; this file is ${mimeType}.${page}`,
    );
  }
  const filename = name ?? `input.${extensionForType(mimeType)}`;
  return {
    kind: 'file',
    bytes: file.bytes,
    mimeType,
    source: file.source,
    filename: extensionOf(filename) ? filename : `${filename}.${extensionForType(mimeType)}`,
  };
}

/** Whether the call gave a field: empty strings count as not given (models often send them for unused fields). */
export function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

// The caller's word first, then the source's, then the name, then the bytes: most to least deliberate.
function decideType(file: LoadedFile, name: string | undefined, args: FileInputArgs, options: ResolveOptions): string {
  const type =
    (present(args.mime_type) ? args.mime_type!.trim() : undefined) ??
    (isGenericType(file.declared) ? undefined : file.declared) ??
    typeForExtension(name ? extensionOf(name) : undefined) ??
    sniffType(file.bytes);
  if (!type) {
    throw new InvalidArgumentsError(
      `Could not tell what kind of file this is (no specific type from the source, no known extension); pass ` +
        `mime_type, e.g. ${exampleType(options.allowedTypes)}.`,
    );
  }
  return type.toLowerCase();
}

function cleanFilename(name: string | undefined): string | undefined {
  const base = name?.split(/[\\/]/).at(-1)?.replace(UNSAFE_IN_FILENAME, '').trim();
  return base ? base.slice(-200) : undefined;
}

function describeTypes(allowed: readonly string[]): string {
  const words = allowed.map((t) => (t.endsWith('/*') ? `${t.slice(0, -2)} files` : t));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'no files');
}

function exampleType(allowed: readonly string[]): string {
  const first = allowed[0] ?? 'audio/*';
  return first === 'video/*' ? 'video/mp4' : first.endsWith('/*') ? 'audio/mpeg' : first;
}
