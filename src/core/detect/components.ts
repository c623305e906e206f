/**
 * 8-connected component labelling of a binary mask on the grid, by flood fill with an explicit
 * typed stack (no recursion, no per-cell objects).
 * @param mask uint8[rows*cols], non-zero = foreground
 * @returns labels int32[rows*cols] (0 = background, 1..count in order of first cell) and count
 */
export function labelComponents(
  mask: Uint8Array,
  rows: number,
  cols: number,
): { labels: Int32Array; count: number } {
  const labels = new Int32Array(rows * cols);
  const stack = new Int32Array(rows * cols);
  let count = 0;
  for (let start = 0; start < rows * cols; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = ++count;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const i = stack[--top];
      const r = (i / cols) | 0;
      const c = i - r * cols;
      const rLo = r > 0 ? r - 1 : r;
      const rHi = r < rows - 1 ? r + 1 : r;
      const cLo = c > 0 ? c - 1 : c;
      const cHi = c < cols - 1 ? c + 1 : c;
      for (let rr = rLo; rr <= rHi; rr++) {
        for (let cc = cLo; cc <= cHi; cc++) {
          const j = rr * cols + cc;
          if (mask[j] && !labels[j]) {
            labels[j] = id;
            stack[top++] = j;
          }
        }
      }
    }
  }
  return { labels, count };
}
