/**
 * Connected-component labelling of a binary mask.
 *
 * @param mask uint8[height*width], row-major; any non-zero value is foreground.
 * @param connectivity 4 (edge neighbours) or 8 (edge and corner neighbours).
 * @returns labels int32[height*width]: 0 for background, 1..count in raster order of each
 *   component's first pixel, so the result is deterministic.
 */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  connectivity: 4 | 8,
): { labels: Int32Array; count: number } {
  const n = width * height;
  const labels = new Int32Array(n);
  // Explicit stack instead of recursion: components can hold millions of pixels.
  let stack = new Int32Array(1024);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const label = ++count;
    labels[start] = label;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          if (connectivity === 4 && dx !== 0 && dy !== 0) continue;
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (mask[q] === 0 || labels[q] !== 0) continue;
          labels[q] = label;
          if (top === stack.length) {
            const bigger = new Int32Array(stack.length * 2);
            bigger.set(stack);
            stack = bigger;
          }
          stack[top++] = q;
        }
      }
    }
  }
  return { labels, count };
}
