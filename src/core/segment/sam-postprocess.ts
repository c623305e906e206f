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
