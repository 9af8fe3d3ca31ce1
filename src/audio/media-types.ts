/**
 * Media types of files callers hand in (uploads, downloads, inline base64) and the extensions stored
 * objects are named with. Stored ids end in an extension, so a listing can tell an object's type from
 * its name without reading each object's headers.
 */

/** Documents an agent's knowledge base takes, besides audio and video. */
export const DOCUMENT_TYPES = [
  'application/pdf',
  'text/plain',
  'text/html',
  'text/markdown',
  'application/epub+zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

export const AUDIO_VIDEO_TYPES = ['audio/*', 'video/*'] as const;

/** What speech_to_text stores: the transcript, and subtitles when asked for. */
export const TRANSCRIPT_TYPE = 'text/plain';
export const SUBTITLES_TYPE = 'application/x-subrip';

/**
 * What create_upload_url signs uploads for: named media and document types only, never a wildcard. The
 * bucket is public to whoever holds a link, so nothing a browser would run may land in it: no HTML, SVG,
 * XML or script types (an HTML knowledge-base document can still be passed as url or base64, which are
 * never stored). Downloads are served with our own Content-Type whatever the upload declared.
 */
export const UPLOAD_TYPES = [
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/ogg',
  'audio/opus',
  'audio/flac',
  'audio/x-flac',
  'audio/webm',
  'audio/aiff',
  'audio/x-aiff',
  'audio/x-aifc',
  'audio/amr',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/x-msvideo',
  'video/mpeg',
  'video/3gpp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'application/epub+zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

/** A media type as it may appear in a header: `type/subtype`, no parameters. */
export const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** Canonical type -> extension; the first extension listed for a type wins. */
const TYPES: ReadonlyArray<readonly [string, string]> = [
  ['audio/mpeg', 'mp3'],
  ['audio/wav', 'wav'],
  ['audio/x-wav', 'wav'],
  ['audio/wave', 'wav'],
  ['audio/mp4', 'm4a'],
  ['audio/x-m4a', 'm4a'],
  ['audio/aac', 'aac'],
  ['audio/ogg', 'ogg'],
  ['audio/opus', 'opus'],
  ['audio/flac', 'flac'],
  ['audio/x-flac', 'flac'],
  ['audio/webm', 'weba'],
  ['audio/aiff', 'aiff'],
  ['audio/x-aiff', 'aiff'],
  ['audio/x-aifc', 'aifc'],
  ['audio/amr', 'amr'],
  ['audio/pcm', 'pcm'],
  ['audio/pcmu', 'ulaw'],
  ['audio/pcma', 'alaw'],
  ['video/mp4', 'mp4'],
  ['video/quicktime', 'mov'],
  ['video/webm', 'webm'],
  ['video/x-matroska', 'mkv'],
  ['video/x-msvideo', 'avi'],
  ['video/mpeg', 'mpeg'],
  ['video/3gpp', '3gp'],
  ['application/pdf', 'pdf'],
  ['text/plain', 'txt'],
  ['text/html', 'html'],
  ['text/markdown', 'md'],
  ['application/epub+zip', 'epub'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
];

/** Extension -> type; agrees with src/audio/formats.ts for what text_to_speech stores. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  mpga: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  weba: 'audio/webm',
  aif: 'audio/aiff',
  aiff: 'audio/aiff',
  aifc: 'audio/x-aifc',
  amr: 'audio/amr',
  pcm: 'audio/pcm',
  ulaw: 'audio/PCMU',
  alaw: 'audio/PCMA',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  mpeg: 'video/mpeg',
  mpg: 'video/mpeg',
  '3gp': 'video/3gpp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  srt: 'application/x-subrip',
  html: 'text/html',
  htm: 'text/html',
  md: 'text/markdown',
  markdown: 'text/markdown',
  epub: 'application/epub+zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Types that say nothing about the content. */
const GENERIC = new Set([
  'application/octet-stream',
  'binary/octet-stream',
  'application/binary',
  'application/unknown',
]);

export function isGenericType(type: string | undefined): boolean {
  return type === undefined || type === '' || GENERIC.has(type.toLowerCase());
}

/** Whether `type` matches one of `allowed` (`audio/*` style wildcards), case-insensitively. */
export function isTypeAllowed(type: string, allowed: readonly string[]): boolean {
  const t = type.toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith('/*') ? t.startsWith(p.slice(0, -1)) : t === p;
  });
}

/** The extension of a file name, lower-case, without the dot. */
export function extensionOf(filename: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(filename);
  return match ? match[1]!.toLowerCase() : undefined;
}

export function typeForExtension(extension: string | undefined): string | undefined {
  return extension === undefined ? undefined : EXTENSIONS[extension.toLowerCase()];
}

/**
 * The extension to store a file of this type under: the canonical one for a known type, else the
 * file name's own when it is a plausible extension, else `bin`.
 */
export function extensionForType(type: string, filename?: string): string {
  const t = type.toLowerCase();
  const known = TYPES.find(([name]) => name === t)?.[1];
  if (known) return known;
  const own = filename ? extensionOf(filename) : undefined;
  return own && /^[a-z0-9]{2,5}$/.test(own) ? own : 'bin';
}

/** The type a file's first bytes announce, for the containers ElevenLabs takes most often. */
export function sniffType(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length < 4) return undefined;
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0))
    return 'audio/mpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'video/x-msvideo';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(8, 12))) return 'audio/aiff';
  if (ascii(4, 8) === 'ftyp')
    return /^M4[AB] $/.test(ascii(8, 12)) ? 'audio/mp4' : ascii(8, 10) === 'qt' ? 'video/quicktime' : 'video/mp4';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'video/webm';
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

/**
 * How a presigned download of a stored object is served, from its id's extension and our own table
 * (never the type an uploader declared): audio and video a player streams inline, under their file name;
 * everything else as an attachment. Nothing is served as HTML, SVG or script, whatever its bytes.
 */
export function servedAs(audioId: string): { readonly contentType: string; readonly disposition: string } {
  const known = typeForExtension(extensionOf(audioId));
  const playable = known !== undefined && /^(audio|video)\//.test(known);
  // Text of any kind (an old .html upload included) is shown as text, never rendered.
  const contentType =
    known === undefined ? 'application/octet-stream' : /^text\//.test(known) ? 'text/plain; charset=utf-8' : known;
  return {
    contentType,
    disposition: `${playable ? 'inline' : 'attachment'}; filename="${audioId.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  };
}
