/**
 * Positions of the k highest scores, best first; ties go to the lower position so results are reproducible.
 * NaN scores (items that cannot be scored) are never selected. A bounded min-heap keeps this O(n log k).
 */
export function topK(scores: Float64Array | Float32Array, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK: k = ${k} is not a non-negative integer`);
  const heap = new Int32Array(k);
  let size = 0;
  // "a ranks below b": lower score, or equal score at a higher position.
  const below = (a: number, b: number): boolean => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && below(heap[l]!, heap[m]!)) m = l;
      if (r < size && below(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let p = 0; p < scores.length; p++) {
    if (Number.isNaN(scores[p])) continue;
    if (size < k) {
      heap[size] = p;
      for (let i = size++; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!below(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (k > 0 && below(heap[0]!, p)) {
      heap[0] = p;
      siftDown(0);
    }
  }
  return heap.subarray(0, size).sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
