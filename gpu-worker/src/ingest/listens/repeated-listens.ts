/**
 * Listens that repeat an earlier one: the same pair at the same time. Listens are given in file order as parallel
 * arrays (a pair's number, its time), so a chunked importer's leftovers, millions of them, are held as numbers only.
 *
 * @returns the positions of the listens whose pair and time an earlier position had, ascending.
 */
export function repeatedListens(pairs: ArrayLike<number>, times: ArrayLike<number>): number[] {
  if (pairs.length !== times.length) throw new Error(`repeatedListens: ${pairs.length} pairs but ${times.length} times`);
  // Sorted by pair, time and position, a listen repeats an earlier one exactly when it follows an equal neighbour.
  const order = new Uint32Array(pairs.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => pairs[a]! - pairs[b]! || times[a]! - times[b]! || a - b);
  const repeats: number[] = [];
  for (let k = 1; k < order.length; k++) {
    const i = order[k]!;
    const j = order[k - 1]!;
    if (pairs[i] === pairs[j] && times[i] === times[j]) repeats.push(i);
  }
  return repeats.sort((a, b) => a - b);
}
