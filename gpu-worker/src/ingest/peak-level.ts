/** Peak level from ffmpeg's volumedetect filter ("max_volume: -91.0 dB"); digital silence reports -91 dB. */
export function parseMaxVolumeDb(stderr: string): number {
  const m = /max_volume:\s*(-?inf|-?\d+(?:\.\d+)?) dB/.exec(stderr);
  if (!m?.[1]) throw new Error("ffmpeg decoded no audio (no volumedetect result)");
  return m[1].endsWith("inf") ? -Infinity : Number(m[1]);
}
