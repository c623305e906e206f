/**
 * The starter pack's patch features, shared by the ONNX graph writer (starter-graphs.ts) and
 * a plain TypeScript reference (used by tests to prove the graph computes what the README says).
 *
 * Input units: x = clamp(v / 255, 0, 1) for NAIP DN, clamp(v / 0.3, 0, 1) for Sentinel-2
 * reflectance, per band in the order R, G, B, NIR. A missing NIR band is fed as 0.
 */

/** Raw per-patch features f (in graph order). */
export const RAW_FEATURES = [
  'mean_r', // f0 patch mean of R
  'mean_g', // f1
  'mean_b', // f2
  'ndvi', // f3 (mNIR - mR) / (mNIR + mR + eps), 0 when the patch has no NIR
  'ndwi', // f4 (mG - mNIR) / (mG + mNIR + eps) (McFeeters), 0 without NIR
  'nir_excess', // f5 mNIR - brightness, 0 without NIR
  'texture', // f6 std of per-pixel gray (R+G+B)/3 inside the patch
  'veg_cover', // f7 fraction of pixels with pixel NDVI > 0.3
  'water_cover', // f8 fraction of pixels with pixel NDWI > 0.2 and NIR > 0
  'dark_cover', // f9 fraction of pixels with gray < 0.1
  'bright_cover', // f10 fraction of pixels with gray > 0.75
] as const;

/** Embedding dims e = W f + b (D = 12), each a readable quantity centred near "typical land". */
export const EMBED_DIMS = [
  'ndvi', // e0 = f3
  'ndwi', // e1 = f4
  'brightness', // e2 = 2 * ((f0+f1+f2)/3 - 0.35)
  'texture', // e3 = 8 * (f6 - 0.04)
  'redness', // e4 = 4 * (f0 - (f0+f1+f2)/3)
  'greenness', // e5 = 4 * (f1 - (f0+f1+f2)/3)
  'blueness', // e6 = 4 * (f2 - (f0+f1+f2)/3)
  'nir', // e7 = 2 * f5
  'veg_cover', // e8 = f7
  'water_cover', // e9 = f8
  'dark_cover', // e10 = f9
  'bright_cover', // e11 = f10
] as const;

export const STARTER_EMBED_DIM = EMBED_DIMS.length;
export const EPS = 1e-6;
export const THRESHOLDS = { vegNdvi: 0.3, waterNdwi: 0.2, dark: 0.1, bright: 0.75 };

/** W as [D][F] (row = embedding dim) and b [D], built from the formulas above. */
export function starterLinearMap(): { W: number[][]; b: number[] } {
  const F = RAW_FEATURES.length;
  const row = (entries: Record<number, number>) => Array.from({ length: F }, (_, i) => entries[i] ?? 0);
  const third = 1 / 3;
  const chroma = (c: number) =>
    row({
      0: 4 * ((c === 0 ? 1 : 0) - third),
      1: 4 * ((c === 1 ? 1 : 0) - third),
      2: 4 * ((c === 2 ? 1 : 0) - third),
    });
  const W = [
    row({ 3: 1 }),
    row({ 4: 1 }),
    row({ 0: 2 * third, 1: 2 * third, 2: 2 * third }),
    row({ 6: 8 }),
    chroma(0),
    chroma(1),
    chroma(2),
    row({ 5: 2 }),
    row({ 7: 1 }),
    row({ 8: 1 }),
    row({ 9: 1 }),
    row({ 10: 1 }),
  ];
  const b = [0, 0, -0.7, -0.32, 0, 0, 0, 0, 0, 0, 0, 0];
  return { W, b };
}

const f = Math.fround;

/**
 * Straightforward TypeScript computation of the patch embeddings for one normalised chip.
 * chip: float32[4, S, S] (R,G,B,NIR planes, values in 0..1). Returns float64 [T, D] row-major,
 * T = (S/patch)^2 in row-major patch order. Per-pixel indices are rounded to float32 like the
 * graph so that threshold tests agree exactly; sums are float64.
 */
export function starterPatchEmbeddingsReference(chip: Float32Array, size: number, patch = 16): Float64Array {
  const g = size / patch;
  const plane = size * size;
  const { W, b } = starterLinearMap();
  const D = W.length;
  const out = new Float64Array(g * g * D);
  const n = patch * patch;
  for (let py = 0; py < g; py++)
    for (let px = 0; px < g; px++) {
      let sr = 0,
        sg = 0,
        sb = 0,
        sn = 0,
        sgray = 0,
        veg = 0,
        water = 0,
        dark = 0,
        bright = 0;
      for (let y = py * patch; y < (py + 1) * patch; y++)
        for (let x = px * patch; x < (px + 1) * patch; x++) {
          const i = y * size + x;
          const r = chip[i],
            gr = chip[plane + i],
            bl = chip[2 * plane + i],
            nir = chip[3 * plane + i];
          const gray = f(f(f(r + gr) + bl) / 3);
          sr += r;
          sg += gr;
          sb += bl;
          sn += nir;
          sgray += gray;
          if (f(f(nir - r) / f(f(nir + r) + f(EPS))) > f(THRESHOLDS.vegNdvi)) veg++;
          if (f(f(gr - nir) / f(f(gr + nir) + f(EPS))) > f(THRESHOLDS.waterNdwi) && nir > 0) water++;
          if (gray < f(THRESHOLDS.dark)) dark++;
          if (gray > f(THRESHOLDS.bright)) bright++;
        }
      const [mr, mg, mb, mn, mgray] = [sr / n, sg / n, sb / n, sn / n, sgray / n];
      let ss = 0;
      for (let y = py * patch; y < (py + 1) * patch; y++)
        for (let x = px * patch; x < (px + 1) * patch; x++) {
          const i = y * size + x;
          ss += (f(f(f(chip[i] + chip[plane + i]) + chip[2 * plane + i]) / 3) - mgray) ** 2;
        }
      const hasNir = mn > 0 ? 1 : 0;
      const feats = [
        mr,
        mg,
        mb,
        hasNir * ((mn - mr) / (mn + mr + EPS)),
        hasNir * ((mg - mn) / (mg + mn + EPS)),
        hasNir * (mn - mgray),
        Math.sqrt(ss / n),
        veg / n,
        water / n,
        dark / n,
        bright / n,
      ];
      const t = py * g + px;
      for (let d = 0; d < D; d++) {
        let s = b[d];
        for (let k = 0; k < feats.length; k++) s += W[d][k] * feats[k];
        out[t * D + d] = s;
      }
    }
  return out;
}
