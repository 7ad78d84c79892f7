/** Pure parsing of ffprobe/ffmpeg output; the I/O lives in probe.ts. */

export interface AudioInfo {
  durationSec: number;
  channels: number;
  sampleRate: number;
  codec: string;
  /** Container and stream tags merged, keys lower-cased (Vorbis comments sit on the stream, ID3 on the format). */
  tags: Record<string, string>;
}

interface FfprobeJson {
  streams?: { codec_type?: string; codec_name?: string; channels?: number; sample_rate?: string; duration?: string; tags?: Record<string, string> }[];
  format?: { duration?: string; tags?: Record<string, string> };
}

/** Reads `ffprobe -print_format json -show_format -show_streams` output; throws when there is no usable audio. */
export function parseFfprobe(json: string): AudioInfo {
  const data = JSON.parse(json) as FfprobeJson;
  const audio = data.streams?.find((s) => s.codec_type === "audio");
  if (!audio) throw new Error("no audio stream");
  const durationSec = Number(data.format?.duration ?? audio.duration);
  const sampleRate = Number(audio.sample_rate);
  const channels = audio.channels ?? 0;
  if (!Number.isFinite(durationSec) || durationSec <= 0) throw new Error("unknown or zero duration");
  if (!Number.isFinite(sampleRate) || sampleRate <= 0 || channels <= 0) throw new Error("no sample rate or channel count");
  const tags: Record<string, string> = {};
  for (const source of [data.format?.tags, audio.tags]) {
    for (const [k, v] of Object.entries(source ?? {})) if (v.trim() !== "") tags[k.toLowerCase()] = v.trim();
  }
  return { durationSec, channels, sampleRate, codec: audio.codec_name ?? "unknown", tags };
}

/** Peak level from ffmpeg's volumedetect filter ("max_volume: -91.0 dB"); digital silence reports -91 dB. */
export function parseMaxVolumeDb(stderr: string): number {
  const m = /max_volume:\s*(-?inf|-?\d+(?:\.\d+)?) dB/.exec(stderr);
  if (!m?.[1]) throw new Error("ffmpeg decoded no audio (no volumedetect result)");
  return m[1].endsWith("inf") ? -Infinity : Number(m[1]);
}
