/**
 * SAM postprocessing on the decoder's outputs: choose one of the multimask outputs by its
 * predicted IoU, threshold the logits and crop the mask to its bounding box.
 */

/**
 * Index of the mask to keep. With four outputs, token 0 is SAM's single-mask answer and tokens
 * 1–3 the multimask answers (whole, part, sub-part): for a single click SAM's predictor uses
 * the multimask outputs and keeps the highest predicted IoU; with several points the
 * ambiguity is resolved by the prompt, so all four compete.
 * @param iou iou_predictions float32[M]
 * @param positives number of positive points in the prompt
 */
export function pickMaskIndex(iou: ArrayLike<number>, positives: number, negatives: number): number {
  const m = iou.length;
  const from = m === 4 && positives + negatives === 1 ? 1 : 0;
  let best = from;
  for (let i = from + 1; i < m; i++) if (iou[i] > iou[best]) best = i;
  return best;
}

/**
 * Thresholds mask `index` of masks float32[M, H, W] (logits, > 0 is inside, SAM's
 * mask_threshold 0.0), keeping only pixels where `valid` is 1 (padding is never an object).
 * @returns the crop (half-open bbox in mask pixels) or bbox null when the mask is empty.
 */
export function thresholdCrop(
  masks: Float32Array,
  index: number,
  height: number,
  width: number,
  valid?: Uint8Array,
): { bbox: [number, number, number, number] | null; mask: Uint8Array } {
  const off = index * height * width;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = off + y * width;
    for (let x = 0; x < width; x++) {
      if (!(masks[row + x] > 0) || (valid && !valid[y * width + x])) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return { bbox: null, mask: new Uint8Array(0) };
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = off + (y + y0) * width + x0;
    for (let x = 0; x < w; x++) {
      if (masks[row + x] > 0 && (!valid || valid[(y + y0) * width + x + x0])) mask[y * w + x] = 1;
    }
  }
  return { bbox: [x0, y0, x1 + 1, y1 + 1], mask };
}

/**
 * Taps of one axis of SAM's mask upsampling chain, as (index, weight) pairs into the low-res
 * axis: low-res (lowLen) → input_size (bilinear, half-pixel, clamped at the edges), keep the
 * first `resized` samples, → `out` samples (bilinear, half-pixel). Both Resize nodes of the
 * standard SAM ONNX graph (and F.interpolate(align_corners=False) in PyTorch) are separable,
 * so each output sample is a weighted sum of at most 4 low-res samples.
 * @returns idx int32[out*4], w float64[out*4], n uint8[out]: output o uses the n[o] distinct
 *   taps with non-zero weight at o*4 … o*4+n[o]-1 (2 for an identity second stage)
 */
function axisTaps(
  lowLen: number,
  inputSize: number,
  resized: number,
  out: number,
): { idx: Int32Array; w: Float64Array; n: Uint8Array } {
  const idx = new Int32Array(out * 4);
  const w = new Float64Array(out * 4);
  const n = new Uint8Array(out);
  const src = (o: number, from: number, to: number) => Math.max(0, ((o + 0.5) * from) / to - 0.5);
  const add = (o: number, i: number, wt: number) => {
    if (wt === 0) return;
    for (let k = o * 4; k < o * 4 + n[o]; k++)
      if (idx[k] === i) {
        w[k] += wt;
        return;
      }
    idx[o * 4 + n[o]] = i;
    w[o * 4 + n[o]++] = wt;
  };
  for (let o = 0; o < out; o++) {
    const s2 = src(o, resized, out);
    const y0 = Math.min(Math.floor(s2), resized - 1);
    const f2 = s2 - y0;
    const ys: [number, number][] = [
      [y0, 1 - f2],
      [Math.min(y0 + 1, resized - 1), f2],
    ];
    for (const [y, wy] of ys) {
      const s1 = src(y, lowLen, inputSize);
      const l0 = Math.min(Math.floor(s1), lowLen - 1);
      const f1 = s1 - l0;
      add(o, l0, wy * (1 - f1));
      add(o, Math.min(l0 + 1, lowLen - 1), wy * f1);
    }
  }
  return { idx, w, n };
}

/** Output samples [first, last] whose non-zero taps reach low-res samples in [lo, hi], or null. */
function reach(t: { idx: Int32Array; n: Uint8Array }, lo: number, hi: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let o = 0; o < t.n.length; o++)
    for (let k = 0; k < t.n[o]; k++) {
      const i = t.idx[o * 4 + k];
      if (i >= lo && i <= hi) {
        if (first < 0) first = o;
        last = o;
        break;
      }
    }
  return first < 0 ? null : [first, last];
}

/**
 * One mask of SAM's low-res logits at the original chip size, computed only where it can be
 * positive: an upsampled logit is a convex combination of low-res logits, so it is > 0 only
 * where some tap is > 0; rows and columns out of reach of the positive low-res bbox are
 * skipped. Same values as the decoder graph's `masks` output (Resize to input_size², slice
 * to the resized frame, Resize to orig_im_size; up to float rounding), thresholded at 0 and
 * cut to `valid`, then cropped as thresholdCrop does.
 * @param lowRes float32[lh*lw] logits of the chosen mask
 * @param resized [h, w] of the chip after SAM's longest-side resize; origSize [h, w] of the chip
 * @param valid uint8[h*w], 1 = real pixels
 */
export function lowResMaskCrop(
  lowRes: Float32Array,
  lh: number,
  lw: number,
  inputSize: number,
  resized: [number, number],
  origSize: [number, number],
  valid?: Uint8Array,
): { bbox: [number, number, number, number] | null; mask: Uint8Array } {
  const [H, W] = origSize;
  let r0 = lh;
  let r1 = -1;
  let c0 = lw;
  let c1 = -1;
  for (let r = 0; r < lh; r++)
    for (let c = 0; c < lw; c++) {
      if (!(lowRes[r * lw + c] > 0)) continue;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
    }
  const empty = { bbox: null, mask: new Uint8Array(0) };
  if (r1 < 0) return empty;
  const ty = axisTaps(lh, inputSize, resized[0], H);
  const tx = axisTaps(lw, inputSize, resized[1], W);
  const rows = reach(ty, r0, r1);
  const cols = reach(tx, c0, c1);
  if (!rows || !cols) return empty;
  const [y0, y1] = rows;
  const [x0, x1] = cols;
  const cw = x1 - x0 + 1;
  // tmp: float64[lw] — the current output row interpolated along y, at every low-res column
  const tmp = new Float64Array(lw);
  const full = new Uint8Array(cw * (y1 - y0 + 1));
  let bx0 = cw;
  let by0 = y1 + 1;
  let bx1 = -1;
  let by1 = -1;
  for (let y = y0; y <= y1; y++) {
    tmp.fill(0);
    for (let k = 0; k < ty.n[y]; k++) {
      const wy = ty.w[y * 4 + k];
      const row = ty.idx[y * 4 + k] * lw;
      for (let c = 0; c < lw; c++) tmp[c] += wy * lowRes[row + c];
    }
    const frow = (y - y0) * cw - x0;
    let any = false;
    for (let x = x0; x <= x1; x++) {
      const o = x * 4;
      let v = tx.w[o] * tmp[tx.idx[o]];
      for (let k = 1; k < tx.n[x]; k++) v += tx.w[o + k] * tmp[tx.idx[o + k]];
      if (v > 0 && (!valid || valid[y * W + x])) {
        full[frow + x] = 1;
        any = true;
      }
    }
    if (!any) continue;
    if (y < by0) by0 = y;
    by1 = y;
    for (let x = x0; x <= x1; x++)
      if (full[frow + x]) {
        if (x - x0 < bx0) bx0 = x - x0;
        break;
      }
    for (let x = x1; x >= x0; x--)
      if (full[frow + x]) {
        if (x - x0 > bx1) bx1 = x - x0;
        break;
      }
  }
  if (bx1 < 0) return empty;
  const w = bx1 - bx0 + 1;
  const h = by1 - by0 + 1;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    mask.set(full.subarray((y + by0 - y0) * cw + bx0, (y + by0 - y0) * cw + bx0 + w), y * w);
  return { bbox: [bx0 + x0, by0, bx1 + x0 + 1, by1 + 1], mask };
}
