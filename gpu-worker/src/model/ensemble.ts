// Averaging the predicted factors of several model runs (an ensemble). Runs trained with different seeds start
// from different weights, see different crops and hold out different validation tracks; on a few hundred
// training tracks their errors differ enough that the mean of their predictions ranks cold tracks better than
// any one of them (README, "Measured results").

export interface MemberPrediction {
  /** Track ids in row order of `raw`, ascending. */
  trackIds: ArrayLike<number>;
  /** trackIds.length × dims predicted factors. */
  raw: Float32Array;
  /** Per-track MC-dropout spread, when the member has one for every track. */
  spread?: Float32Array;
}

export interface AveragedPrediction {
  trackIds: Int32Array;
  raw: Float32Array;
  /** The members' mean spread; absent when a member has none. */
  spread?: Float32Array;
}

/**
 * The mean prediction of the members for the tracks every member predicted (a track one member lacks, say
 * its features were unreadable when that run predicted, has no mean of all members and is left out).
 */
export function averagePredictions(members: readonly MemberPrediction[], dims: number): AveragedPrediction {
  if (members.length === 0) throw new Error("an ensemble needs at least one member");
  members.forEach((m, i) => {
    if (m.raw.length !== m.trackIds.length * dims) throw new RangeError(`member ${i}: ${m.raw.length} values for ${m.trackIds.length} tracks × ${dims} dims`);
    if (m.spread && m.spread.length !== m.trackIds.length) throw new RangeError(`member ${i}: ${m.spread.length} spreads for ${m.trackIds.length} tracks`);
  });
  const rows = members.map((m) => new Map(Array.from(m.trackIds, (id, r) => [id, r])));
  const shared = Array.from(members[0]!.trackIds).filter((id) => rows.every((r) => r.has(id)));
  const trackIds = Int32Array.from(shared).sort();
  const raw = new Float32Array(trackIds.length * dims);
  const withSpread = members.every((m) => m.spread !== undefined);
  const spread = withSpread ? new Float32Array(trackIds.length) : undefined;
  trackIds.forEach((id, t) => {
    members.forEach((m, i) => {
      const r = rows[i]!.get(id)!;
      for (let d = 0; d < dims; d++) raw[t * dims + d]! += m.raw[r * dims + d]! / members.length;
      if (spread) spread[t]! += m.spread![r]! / members.length;
    });
  });
  return spread ? { trackIds, raw, spread } : { trackIds, raw };
}
