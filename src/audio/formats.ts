/**
 * ElevenLabs output formats (`codec_samplerate[_bitrate]`) and what a stored file of each is. The MIME
 * type and extension come from the format we asked for, not from the response's Content-Type header,
 * which ElevenLabs does not set precisely for raw formats.
 */

const MP3 = [
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
] as const;
const MP3_48K = ['mp3_48000_128', 'mp3_48000_192', 'mp3_48000_240', 'mp3_48000_320'] as const;
const PCM = ['pcm_8000', 'pcm_16000', 'pcm_22050', 'pcm_24000', 'pcm_32000', 'pcm_44100', 'pcm_48000'] as const;
const WAV = ['wav_8000', 'wav_16000', 'wav_22050', 'wav_24000', 'wav_32000', 'wav_44100', 'wav_48000'] as const;
const TELEPHONY = ['ulaw_8000', 'alaw_8000'] as const;
const OPUS = ['opus_48000_32', 'opus_48000_64', 'opus_48000_96', 'opus_48000_128', 'opus_48000_192'] as const;

/** Formats of text-to-speech, speech-to-speech and dialogue (the `convert` endpoints). */
export const SPEECH_FORMATS = [...MP3, ...PCM, ...WAV, ...TELEPHONY, ...OPUS] as const;
/** Formats of sound effects and music: no WAV, and music adds 48 kHz MP3. */
export const SOUND_FORMATS = [...MP3, ...PCM, ...TELEPHONY, ...OPUS] as const;
export const MUSIC_FORMATS = [...MP3_48K, ...SOUND_FORMATS] as const;
export const ALL_FORMATS = [...MP3_48K, ...SPEECH_FORMATS] as const;

export type AudioFormat = (typeof ALL_FORMATS)[number];
export const DEFAULT_FORMAT = 'mp3_44100_128' satisfies AudioFormat;

export interface FormatInfo {
  readonly mimeType: string;
  readonly extension: string;
  /** A phrase for summaries, e.g. "MP3, 44.1 kHz, 128 kbps". */
  readonly label: string;
}

const CODECS: Record<string, { mimeType: string; extension: string; name: string }> = {
  mp3: { mimeType: 'audio/mpeg', extension: 'mp3', name: 'MP3' },
  pcm: { mimeType: 'audio/pcm', extension: 'pcm', name: 'raw 16-bit little-endian mono PCM (no header)' },
  wav: { mimeType: 'audio/wav', extension: 'wav', name: 'WAV' },
  ulaw: { mimeType: 'audio/PCMU', extension: 'ulaw', name: 'raw mu-law (telephony)' },
  alaw: { mimeType: 'audio/PCMA', extension: 'alaw', name: 'raw A-law (telephony)' },
  opus: { mimeType: 'audio/ogg', extension: 'opus', name: 'Opus in Ogg' },
};

export function formatInfo(format: AudioFormat | string): FormatInfo {
  const [codec = '', rate, bitrate] = format.split('_');
  const known = CODECS[codec] ?? { mimeType: 'application/octet-stream', extension: 'bin', name: codec.toUpperCase() };
  const khz = rate ? `${Number(rate) / 1000} kHz` : undefined;
  const label = [known.name, khz, bitrate ? `${bitrate} kbps` : undefined].filter(Boolean).join(', ');
  return { mimeType: known.mimeType, extension: known.extension, label };
}
