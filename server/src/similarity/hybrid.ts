/**
 * Hybrid similarity of candidates to a query: w·cos_CF + (1 − w)·cos_audio. A NaN cosine means that side has no
 * vector for the pair: a cold track (no training listens, so a zero CF vector) is scored on audio alone, and a
 * track the convnet has not predicted yet on CF alone. Both NaN gives NaN (not rankable).
 */
export function blendHybrid(cfCos: ArrayLike<number>, audioCos: ArrayLike<number>, w: number): Float64Array {
  if (!(w >= 0 && w <= 1)) throw new RangeError(`blendHybrid: weight ${w} is outside [0, 1]`);
  if (cfCos.length !== audioCos.length) throw new RangeError(`blendHybrid: ${cfCos.length} CF and ${audioCos.length} audio scores`);
  const out = new Float64Array(cfCos.length);
  for (let i = 0; i < out.length; i++) {
    const cf = cfCos[i]!;
    const audio = audioCos[i]!;
    if (Number.isNaN(cf)) out[i] = audio;
    else if (Number.isNaN(audio)) out[i] = cf;
    else out[i] = w * cf + (1 - w) * audio;
  }
  return out;
}
