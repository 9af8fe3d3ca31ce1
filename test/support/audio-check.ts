/**
 * Checks that bytes are audio a player can play, by reading their container as a player would: an MP3's
 * chain of frame headers from the first to the last, a WAV's RIFF header and its data chunk.
 */

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

export interface Mp3Summary {
  readonly frames: number;
  readonly sampleRate: number;
  readonly seconds: number;
}

/** Walks every MPEG Layer III frame; throws at the first byte that is neither a frame nor a closing ID3v1 tag. */
export function parseMp3(bytes: Uint8Array): Mp3Summary {
  const data = Buffer.from(bytes);
  let offset = 0;
  if (data.subarray(0, 3).toString('latin1') === 'ID3') {
    offset =
      10 + (((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f));
  }
  let frames = 0;
  let sampleRate = 0;
  let samples = 0;
  while (offset < data.length) {
    if (data.length - offset === 128 && data.subarray(offset, offset + 3).toString('latin1') === 'TAG') break;
    const [b0, b1, b2] = [data[offset]!, data[offset + 1]!, data[offset + 2]!];
    if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) throw new Error(`no MP3 frame sync at byte ${offset} (frame ${frames})`);
    const version = (b1 >> 3) & 3;
    const layer = (b1 >> 1) & 3;
    if (version === 1 || layer !== 1) throw new Error(`not MPEG Layer III at byte ${offset}`);
    const bitrate = (version === 3 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[(b2 >> 4) & 15];
    const rate = MP3_RATES[version]![(b2 >> 2) & 3];
    if (!bitrate || !rate) throw new Error(`invalid bitrate or sample rate at byte ${offset}`);
    const length = Math.floor(((version === 3 ? 144 : 72) * bitrate * 1000) / rate) + ((b2 >> 1) & 1);
    if (offset + length > data.length) throw new Error(`frame ${frames} is cut off`);
    sampleRate = rate;
    samples += version === 3 ? 1152 : 576;
    frames += 1;
    offset += length;
  }
  if (frames === 0) throw new Error('no MP3 frames');
  return { frames, sampleRate, seconds: samples / sampleRate };
}

export interface WavSummary {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly seconds: number;
}

/** Reads a canonical PCM WAV; throws when the header or the data chunk's length is wrong. */
export function parseWav(bytes: Uint8Array): WavSummary {
  const data = Buffer.from(bytes);
  if (data.subarray(0, 4).toString('latin1') !== 'RIFF' || data.subarray(8, 12).toString('latin1') !== 'WAVE')
    throw new Error('not RIFF/WAVE');
  if (data.readUInt32LE(4) !== data.length - 8) throw new Error('RIFF size does not match the file');
  if (data.subarray(12, 16).toString('latin1') !== 'fmt ' || data.readUInt16LE(20) !== 1)
    throw new Error('no PCM fmt chunk');
  const channels = data.readUInt16LE(22);
  const sampleRate = data.readUInt32LE(24);
  const bitsPerSample = data.readUInt16LE(34);
  if (data.readUInt32LE(28) !== (sampleRate * channels * bitsPerSample) / 8)
    throw new Error('byte rate is inconsistent');
  if (data.subarray(36, 40).toString('latin1') !== 'data' || data.readUInt32LE(40) !== data.length - 44)
    throw new Error('data chunk size does not match');
  return {
    sampleRate,
    channels,
    bitsPerSample,
    seconds: (data.length - 44) / ((sampleRate * channels * bitsPerSample) / 8),
  };
}
