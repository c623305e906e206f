/** Physical-unit pixels of a window of one level, plus a validity mask (1 = has data). */
export interface LevelBlock {
  /** Window origin and size in the level's pixel grid. */
  x0: number;
  y0: number;
  w: number;
  h: number;
  /** Level size (to reject samples outside the raster). */
  levelW: number;
  levelH: number;
  bands: Float32Array[]; // each float32[h*w], physical units
  valid: Uint8Array; // uint8[h*w]
}

export type Resample = 'nearest' | 'bilinear';

/**
 * Samples `block` at n points given in the level's pixel-edge coordinates (0,0 = top-left corner
 * of the raster, pixel centres at +0.5). Bilinear weights skip invalid and out-of-raster
 * neighbours and renormalise, as GDAL's warper does with nodata; a point is invalid when it falls
 * outside the raster or none of its neighbours has data.
 */
export function sampleBlock(
  block: LevelBlock,
  us: Float64Array,
  vs: Float64Array,
  n: number,
  mode: Resample,
  out: Float32Array[], // each float32[n]
  outValid: Uint8Array, // uint8[n]
): void {
  const { x0, y0, w, h, levelW, levelH, bands, valid } = block;
  const nb = bands.length;
  for (let i = 0; i < n; i++) {
    const u = us[i];
    const v = vs[i];
    if (!(u >= 0 && v >= 0 && u < levelW && v < levelH)) {
      outValid[i] = 0;
      continue;
    }
    if (mode === 'nearest') {
      const cx = Math.floor(u) - x0;
      const cy = Math.floor(v) - y0;
      if (cx < 0 || cy < 0 || cx >= w || cy >= h || !valid[cy * w + cx]) {
        outValid[i] = 0;
        continue;
      }
      const k = cy * w + cx;
      for (let b = 0; b < nb; b++) out[b][i] = bands[b][k];
      outValid[i] = 1;
      continue;
    }
    const x = u - 0.5;
    const y = v - 0.5;
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const fx = x - ix;
    const fy = y - iy;
    let wsum = 0;
    for (let b = 0; b < nb; b++) out[b][i] = 0;
    for (let dy = 0; dy < 2; dy++) {
      const py = iy + dy;
      const wy = dy ? fy : 1 - fy;
      if (wy === 0 || py < 0 || py >= levelH) continue;
      const cy = py - y0;
      if (cy < 0 || cy >= h) continue;
      for (let dx = 0; dx < 2; dx++) {
        const px = ix + dx;
        const wx = dx ? fx : 1 - fx;
        if (wx === 0 || px < 0 || px >= levelW) continue;
        const cx = px - x0;
        if (cx < 0 || cx >= w) continue;
        const k = cy * w + cx;
        if (!valid[k]) continue;
        const wt = wx * wy;
        wsum += wt;
        for (let b = 0; b < nb; b++) out[b][i] += wt * bands[b][k];
      }
    }
    if (wsum < 1e-5) {
      outValid[i] = 0;
      continue;
    }
    for (let b = 0; b < nb; b++) out[b][i] /= wsum;
    outValid[i] = 1;
  }
}
