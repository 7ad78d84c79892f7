export interface SharedUnit {
  /** Position of the unit in the activation vector. */
  unit: number;
  name: string;
  a: number;
  b: number;
  /** a·b for this unit: its term of the activations' inner product. */
  contribution: number;
  /** contribution / (total of the positive terms): how much of the shared activation this unit explains. */
  share: number;
}

/**
 * Why two tracks sound alike: the units (dense-layer filters of the convnet) that both activate, ranked by their
 * term a_i·b_i of the inner product. Units where either track is silent (≤ 0 after the ReLU) explain nothing and
 * are left out, so fewer than `top` may come back.
 */
export function sharedUnits(a: Float32Array, b: Float32Array, names: readonly string[], top: number): SharedUnit[] {
  if (a.length !== b.length) throw new RangeError(`sharedUnits: activation vectors have ${a.length} and ${b.length} units`);
  if (names.length !== a.length) throw new RangeError(`sharedUnits: ${names.length} names for ${a.length} units`);
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`sharedUnits: top = ${top} is not a non-negative integer`);
  const units: SharedUnit[] = [];
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    if (ai > 0 && bi > 0) {
      const contribution = ai * bi;
      total += contribution;
      units.push({ unit: i, name: names[i]!, a: ai, b: bi, contribution, share: 0 });
    }
  }
  units.sort((x, y) => y.contribution - x.contribution || x.unit - y.unit);
  return units.slice(0, top).map((u) => ({ ...u, share: u.contribution / total }));
}
