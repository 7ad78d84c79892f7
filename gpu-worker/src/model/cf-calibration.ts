// Predicted factors onto the CF scale (issue 22 item 5). A content model regresses *unit* CF factors, so
// user · predicted is on another scale than user · CF item (the ALS preference estimate, ≈ 1 for played tracks,
// ≈ 0 for the rest): ranked side by side, cold tracks either swamp a list or never enter it. The fix is a global
// affine map fitted on tracks that have both: CF score ≈ slope · predicted score + intercept, over every
// (user, track) pair of tracks the model did not train on (the run's validation tracks), so the map learns how
// far the model's scores can be trusted on unseen audio, not how well it memorised its training tracks.

/** CF score ≈ slope · (user · predicted raw) + intercept. */
export interface CfCalibration {
  slope: number;
  intercept: number;
  /** (user, track) pairs it was fitted on. */
  pairs: number;
  /** Pearson correlation of the two scores over those pairs: how much of the CF score the audio explains. */
  correlation: number;
}

/**
 * Least-squares fit of the CF scores on the predicted scores of `tracks` rows of both matrices (row-major, `k`
 * wide) for every user. Undefined when there is nothing to fit (no pairs, or every predicted score equal). A
 * negative slope is kept as 0: a model that ranks backwards on validation gives every cold track the mean CF score
 * rather than inverting its own ranking.
 */
export function fitCfCalibration(userFactors: Float32Array, cfItems: Float32Array, predictedItems: Float32Array, k: number): CfCalibration | undefined {
  if (userFactors.length % k !== 0 || cfItems.length % k !== 0 || cfItems.length !== predictedItems.length) {
    throw new RangeError(`fitCfCalibration: ${userFactors.length} user, ${cfItems.length} CF and ${predictedItems.length} predicted values for k = ${k}`);
  }
  const users = userFactors.length / k;
  const tracks = cfItems.length / k;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let u = 0; u < users; u++) {
    for (let t = 0; t < tracks; t++) {
      let x = 0;
      let y = 0;
      for (let d = 0; d < k; d++) {
        const w = userFactors[u * k + d]!;
        x += w * predictedItems[t * k + d]!;
        y += w * cfItems[t * k + d]!;
      }
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  if (n < 2) return undefined;
  const mx = sx / n;
  const my = sy / n;
  const vx = sxx / n - mx * mx;
  const vy = syy / n - my * my;
  const cxy = sxy / n - mx * my;
  if (!(vx > 1e-12)) return undefined;
  const slope = Math.max(0, cxy / vx);
  return { slope, intercept: my - slope * mx, pairs: n, correlation: vy > 0 ? cxy / Math.sqrt(vx * vy) : 0 };
}

/** A predicted score on the CF scale. */
export function calibrate(calibration: Pick<CfCalibration, "slope" | "intercept">, predictedScore: number): number {
  return calibration.slope * predictedScore + calibration.intercept;
}
