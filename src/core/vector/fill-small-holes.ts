import { labelComponents } from './label-components';

/**
 * Fills background components of `mask` that are enclosed (do not touch the raster edge),
 * have at most `maxHolePx` pixels and contain no `protect`ed pixel. Background is taken
 * 4-connected, so a hole opening to the outside through an edge is never filled.
 * @param mask uint8[height*width], modified in place and returned.
 * @param protect optional uint8[height*width]; holes containing a non-zero pixel stay open.
 */
export function fillSmallHoles(
  mask: Uint8Array,
  width: number,
  height: number,
  maxHolePx: number,
  protect?: Uint8Array,
): Uint8Array {
  if (maxHolePx <= 0) return mask;
  const inv = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) inv[i] = mask[i] === 0 ? 1 : 0;
  const { labels, count } = labelComponents(inv, width, height, 4);
  const size = new Int32Array(count + 1);
  const open = new Uint8Array(count + 1); // touches the edge or a protected pixel
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const l = labels[p];
      if (l === 0) continue;
      size[l]++;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1 || (protect && protect[p] !== 0))
        open[l] = 1;
    }
  }
  for (let p = 0; p < mask.length; p++) {
    const l = labels[p];
    if (l !== 0 && !open[l] && size[l] <= maxHolePx) mask[p] = 1;
  }
  return mask;
}
