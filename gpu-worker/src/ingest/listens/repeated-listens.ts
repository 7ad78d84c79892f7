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

export interface PairRange {
  /** First pair number. */
  start: number;
  /** One past the last. */
  end: number;
  /** Listens of the pairs in the range. */
  listens: number;
}

/**
 * Consecutive pair numbers cut into ranges whose listens fit `budget` together (a pair above it alone), so that the
 * listens of one range at a time are held: one read of the file each.
 */
export function rangesWithin(listensPerPair: ArrayLike<number>, budget: number): PairRange[] {
  const ranges: PairRange[] = [];
  let start = 0;
  let listens = 0;
  for (let pair = 0; pair < listensPerPair.length; pair++) {
    const n = listensPerPair[pair]!;
    if (pair > start && listens + n > budget) {
      ranges.push({ start, end: pair, listens });
      start = pair;
      listens = 0;
    }
    listens += n;
  }
  if (listensPerPair.length > start) ranges.push({ start, end: listensPerPair.length, listens });
  return ranges;
}
