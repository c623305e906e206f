import { AppError } from '../../shared/errors';
import type { Detection, GridRing } from './detection-types';
import { findDetections, type DetectOptions } from './find-detections';

/**
 * Rasterises an ROI onto the patch grid: a cell is in when its centre (c + 0.5, r + 0.5) is
 * inside. Scanline fill: per row, the crossings of the row's centre line with every edge
 * (half-open in y, so a vertex on the line counts once), sorted, filled pairwise (even-odd,
 * so holes are respected). Several polygons are unioned.
 * @param polygon a Polygon's rings, or a MultiPolygon's polygons, in grid coordinates
 *                (x = column, y = row); the caller maps the ROI through the inverse geotransform
 * @returns uint8[rows*cols]
 */
export function roiToGridMask(polygon: GridRing[] | GridRing[][], rows: number, cols: number): Uint8Array {
  const mask = new Uint8Array(rows * cols);
  const polys = isMulti(polygon) ? polygon : [polygon];
  const xs: number[] = [];
  for (const rings of polys) {
    let yMin = Infinity;
    let yMax = -Infinity;
    for (const ring of rings)
      for (const [, y] of ring) {
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
      }
    const rStart = Math.max(0, Math.ceil(yMin - 0.5));
    const rEnd = Math.min(rows - 1, Math.floor(yMax - 0.5));
    for (let r = rStart; r <= rEnd; r++) {
      const y = r + 0.5;
      xs.length = 0;
      for (const ring of rings) {
        const n = ring.length;
        for (let i = 0; i < n; i++) {
          const [x1, y1] = ring[i];
          const [x2, y2] = ring[(i + 1) % n]; // works for closed and open rings alike
          if (y1 <= y !== y2 <= y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const cFrom = Math.max(0, Math.ceil(xs[k] - 0.5));
        const cTo = Math.min(cols, Math.ceil(xs[k + 1] - 0.5)); // exclusive: centre < right crossing
        for (let c = cFrom; c < cTo; c++) mask[r * cols + c] = 1;
      }
    }
  }
  return mask;
}

function isMulti(p: GridRing[] | GridRing[][]): p is GridRing[][] {
  return p.length > 0 && Array.isArray(p[0][0]) && Array.isArray((p[0][0] as unknown as unknown[])[0]);
}

/** Scores with every cell outside the ROI set to NaN (a copy). float32[rows*cols]. */
export function restrictToRoi(scores: Float32Array, roiMask: Uint8Array): Float32Array {
  if (scores.length !== roiMask.length) {
    throw new AppError('INVALID_INPUT', `roi mask has ${roiMask.length} cells, scores have ${scores.length}`);
  }
  const out = new Float32Array(scores.length);
  for (let i = 0; i < out.length; i++) out[i] = roiMask[i] ? scores[i] : NaN;
  return out;
}

export interface RoiCount {
  roiId: string;
  count: number;
  areaPatches: number;
  areaM2: number;
  detections: Detection[];
}

/**
 * Detections and counts per ROI: each ROI's scores are restricted first, so a blob crossing an
 * ROI border counts in each ROI with only its cells inside.
 */
export function countPerRoi(
  scores: Float32Array,
  rows: number,
  cols: number,
  rois: { id: string; mask: Uint8Array }[],
  opts: DetectOptions,
): RoiCount[] {
  return rois.map(({ id, mask }) => {
    const detections = findDetections(restrictToRoi(scores, mask), rows, cols, opts);
    const areaPatches = detections.reduce((s, d) => s + d.areaPatches, 0);
    return {
      roiId: id,
      count: detections.length,
      areaPatches,
      areaM2: areaPatches * opts.patchAreaM2,
      detections,
    };
  });
}
