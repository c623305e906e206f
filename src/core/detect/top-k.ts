/**
 * The k highest scores, NaN skipped, highest first; ties go to the lower cell index.
 * A size-k min-heap: O(n log k), no allocation per cell.
 * @param scores float32[rows*cols]
 * @returns cells int32[m] and their scores float32[m], m = min(k, number of non-NaN scores)
 */
export function topK(scores: Float32Array, k: number): { cells: Int32Array; scores: Float32Array } {
  const cap = Math.max(0, Math.floor(k));
  const heapCell = new Int32Array(cap);
  const heapScore = new Float64Array(cap);
  let size = 0;
  // "a ranks below b": lower score, or equal score and higher index.
  const below = (sa: number, ca: number, sb: number, cb: number) => sa < sb || (sa === sb && ca > cb);
  for (let i = 0; i < scores.length && cap > 0; i++) {
    const s = scores[i];
    if (s !== s) continue; // NaN
    if (size < cap) {
      let j = size++;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!below(s, i, heapScore[p], heapCell[p])) break;
        heapScore[j] = heapScore[p];
        heapCell[j] = heapCell[p];
        j = p;
      }
      heapScore[j] = s;
      heapCell[j] = i;
    } else if (below(heapScore[0], heapCell[0], s, i)) {
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && below(heapScore[r], heapCell[r], heapScore[l], heapCell[l]) ? r : l;
        if (!below(heapScore[m], heapCell[m], s, i)) break;
        heapScore[j] = heapScore[m];
        heapCell[j] = heapCell[m];
        j = m;
      }
      heapScore[j] = s;
      heapCell[j] = i;
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (a, b) => heapScore[b] - heapScore[a] || heapCell[a] - heapCell[b],
  );
  return {
    cells: Int32Array.from(order, (i) => heapCell[i]),
    scores: Float32Array.from(order, (i) => heapScore[i]),
  };
}
