import { DEMO_MP3_BASE64 } from './demo-clip.js';

/**
 * Audio a player can play, for the demo: the bundled MP3 clip for MP3 formats (whatever their bitrate),
 * a short two-note chime for WAV (with its RIFF header) and raw PCM (16-bit little-endian mono) at the
 * format's sample rate. Other codecs (Opus, mu-law, A-law) get undefined: the fake's synthetic bytes.
 */
export function playableAudio(format: string | undefined): Buffer | undefined {
  const [codec = 'mp3', rate] = (format ?? 'mp3_44100_128').split('_');
  if (codec === 'mp3') return demoMp3();
  const sampleRate = Number(rate);
  if (!Number.isInteger(sampleRate) || sampleRate < 8000) return undefined;
  if (codec === 'pcm') return chimePcm(sampleRate);
  if (codec === 'wav') return wav(chimePcm(sampleRate), sampleRate);
  return undefined;
}

let mp3: Buffer | undefined;
function demoMp3(): Buffer {
  mp3 ??= Buffer.from(DEMO_MP3_BASE64, 'base64');
  return Buffer.from(mp3);
}

/** 1.2 s: A5 then E6, each fading out, at a quarter of full scale. */
function chimePcm(sampleRate: number): Buffer {
  const notes = [880, 1318.5];
  const perNote = Math.round(sampleRate * 0.6);
  const pcm = Buffer.alloc(notes.length * perNote * 2);
  notes.forEach((frequency, n) => {
    for (let i = 0; i < perNote; i++) {
      const envelope = Math.min(1, i / (sampleRate * 0.01)) * Math.exp((-4 * i) / perNote);
      const sample = Math.round(0.25 * 32767 * envelope * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
      pcm.writeInt16LE(sample, (n * perNote + i) * 2);
    }
  });
  return pcm;
}

function wav(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // PCM format chunk size
  header.writeUInt16LE(1, 20); // linear PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
