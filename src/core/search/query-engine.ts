import { area, featureCollection, intersect, multiPolygon } from '@turf/turf';
import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type {
  DetectionCollection,
  QueryResult,
  RoiCountDto,
  RoiGeometry,
} from '../../shared/contract/search';
import { findDetections } from '../detect/find-detections';
import { gridToWgs84, mergeAcrossScenes, type SceneDetections } from '../detect/merge-scenes';
import { roiToGridMask } from '../detect/roi-mask';
import { topK as topKCells } from '../detect/top-k';
import type { Detection } from '../detect/detection-types';
import { scoreCacheKey, scoreField } from '../field/score-field';
import type { Field } from '../field/field-types';
import { maskAny, roiToGrid, roiTouchMask } from './roi-grid';
import { autoThreshold, scoreStats, sortedScores } from './score-stats';
import type { ScoreCache } from './score-cache';

export interface QueryRoi {
  id: string;
  name: string;
  geometry: RoiGeometry;
}

export interface QueryScene {
  sceneId: string;
  field: Field;
  complete: boolean;
}

export interface QuerySpec {
  queryId: string;
  /** What the user asked, for properties and history ("water", or "by example (3+, 1−)"). */
  label: string;
  packId: string;
  /** float32[dim], unit length. */
  q: Float32Array;
  threshold?: number;
  topK?: number;
  /** The query's region: restricts scores, detections (those touching it) and is the counted ROI. */
  roi?: QueryRoi;
  /** Extra ROIs to count in (the project's saved ones when no ROI restricts the query). */
  countRois?: QueryRoi[];
}

/** Patches listed in `topK` of the result when the query does not ask for a number. */
const DEFAULT_TOP_PATCHES = 20;

interface Prepared {
  s: QueryScene;
  raw: Float32Array; // whole-scene scores
  shown: Float32Array; // restricted to the ROI (NaN outside)
  touch: Uint8Array | null;
  toWgs84: ReturnType<typeof gridToWgs84>;
}

/**
 * Scores every scene's field against q (cached per field state and q), restricts to the ROI,
 * picks the threshold (given, K-th best patch, or automatic), finds 8-connected components on
 * each whole scene grid (so nothing splits at chunk seams), merges duplicates across overlapping
 * scenes, keeps those touching the ROI, and counts per ROI.
 */
export async function runQueryOnFields(
  scenes: QueryScene[],
  spec: QuerySpec,
  cache: ScoreCache,
  signal?: AbortSignal,
): Promise<QueryResult> {
  let allCached = scenes.length > 0;
  const prepared: Prepared[] = [];
  for (const s of scenes) {
    throwIfAborted(signal);
    const { rows, cols } = s.field.meta;
    const key = scoreCacheKey(s.field, spec.q);
    let raw = cache.get(key);
    if (!raw) {
      allCached = false;
      raw = await scoreField(s.field, spec.q, {}, signal);
      cache.set(key, raw);
    }
    let shown = raw;
    let touch: Uint8Array | null = null;
    if (spec.roi) {
      const polys = roiToGrid(spec.roi.geometry, s.field.meta);
      const centre = roiToGridMask(polys, rows, cols);
      touch = roiTouchMask(polys, rows, cols);
      shown = new Float32Array(raw.length).fill(NaN);
      for (let i = 0; i < raw.length; i++) if (centre[i]) shown[i] = raw[i];
    }
    prepared.push({ s, raw, shown, touch, toWgs84: gridToWgs84(s.field.meta) });
  }
  if (spec.roi && !prepared.some((p) => p.touch && maskAny(p.touch)))
    throw new AppError(
      'INVALID_INPUT',
      `ROI "${spec.roi.name}" does not intersect ${scenes.length === 1 ? 'the indexed scene' : `any of the ${scenes.length} indexed scenes`}; draw it over the imagery`,
    );

  const sorted = prepared.map((p) => sortedScores(p.shown));
  let threshold: number;
  let thresholdSource: QueryResult['thresholdSource'];
  if (spec.threshold !== undefined) {
    threshold = spec.threshold;
    thresholdSource = 'given';
  } else if (spec.topK !== undefined) {
    const best = prepared.flatMap((p) => Array.from(topKCells(p.shown, spec.topK!).scores));
    best.sort((a, b) => b - a);
    threshold = best.length ? best[Math.min(spec.topK, best.length) - 1] : 1;
    thresholdSource = 'top-k';
  } else {
    const n = sorted.reduce((a, x) => a + x.length, 0);
    const all = new Float32Array(n);
    let o = 0;
    for (const x of sorted) {
      all.set(x, o);
      o += x.length;
    }
    threshold = autoThreshold(all.sort());
    thresholdSource = 'auto';
  }

  // Components on the whole scene grid; ROI queries keep the whole objects that touch the ROI.
  const perScene: SceneDetections[] = prepared.map((p) => {
    const { rows, cols, patchSizeM } = p.s.field.meta;
    let dets = findDetections(p.raw, rows, cols, { threshold, patchAreaM2: patchSizeM * patchSizeM });
    if (p.touch) dets = dets.filter((d) => touches(d, p.touch!));
    if (spec.topK !== undefined && spec.threshold === undefined)
      dets = dets.filter((d) => hasShownCell(d, p.shown, threshold));
    return { sceneId: p.s.sceneId, cols, detections: dets, toWgs84: p.toWgs84 };
  });
  const merged = mergeAcrossScenes(perScene);
  const detections: DetectionCollection = {
    type: 'FeatureCollection',
    features: merged.map((m, i) => {
      const meta = prepared.find((p) => p.s.sceneId === m.sceneId)!;
      const cols = meta.s.field.meta.cols;
      const pr = Math.floor(m.detection.peakCell / cols);
      const [plon, plat] = meta.toWgs84(m.detection.peakCell - pr * cols + 0.5, pr + 0.5);
      return {
        type: 'Feature' as const,
        id: i + 1,
        geometry: { type: 'MultiPolygon' as const, coordinates: m.polygon },
        properties: {
          id: i + 1,
          query: spec.label,
          score: m.detection.peak,
          mean_score: m.detection.mean,
          area_m2: m.detection.areaM2,
          area_patches: m.detection.areaPatches,
          scene: m.sceneId,
          pack: spec.packId,
          threshold,
          peak_lon: plon,
          peak_lat: plat,
        },
      };
    }),
  };

  const rois = spec.roi ? [spec.roi] : (spec.countRois ?? []);
  const counts: RoiCountDto[] = rois.map((roi) => countInRoi(roi, spec, prepared, merged, threshold));

  const nTop = spec.topK ?? DEFAULT_TOP_PATCHES;
  const top = prepared
    .flatMap((p) => {
      const t = topKCells(p.shown, nTop);
      return Array.from(t.cells, (cell, i) => ({ p, cell, score: t.scores[i] }));
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, nTop)
    .map(({ p, cell, score }) => {
      const cols = p.s.field.meta.cols;
      const r = Math.floor(cell / cols);
      const c = cell - r * cols;
      const corners = [p.toWgs84(c, r), p.toWgs84(c + 1, r), p.toWgs84(c + 1, r + 1), p.toWgs84(c, r + 1)];
      const [lon, lat] = p.toWgs84(c + 0.5, r + 0.5);
      const lons = corners.map((k) => k[0]);
      const lats = corners.map((k) => k[1]);
      return {
        sceneId: p.s.sceneId,
        cell,
        score,
        lon,
        lat,
        bboxWgs84: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as [
          number,
          number,
          number,
          number,
        ],
      };
    });

  return {
    queryId: spec.queryId,
    text: spec.label,
    packId: spec.packId,
    threshold,
    thresholdSource,
    scenes: prepared.map((p, i) => {
      const { rows, cols } = p.s.field.meta;
      return {
        sceneId: p.s.sceneId,
        rows,
        cols,
        scores: p.shown as Float32Array<ArrayBuffer>,
        corners: [p.toWgs84(0, 0), p.toWgs84(cols, 0), p.toWgs84(cols, rows), p.toWgs84(0, rows)],
        stats: scoreStats(sorted[i]),
        complete: p.s.complete,
      };
    }),
    detections,
    topK: top,
    counts,
    cached: allCached,
  };
}

function touches(d: Detection, mask: Uint8Array): boolean {
  for (let i = 0; i < d.cells.length; i++) if (mask[d.cells[i]]) return true;
  return false;
}

function hasShownCell(d: Detection, shown: Float32Array, t: number): boolean {
  for (let i = 0; i < d.cells.length; i++) if (shown[d.cells[i]] >= t) return true;
  return false;
}

/**
 * Count of detections touching the ROI and their area inside it (geodesic m², polygon
 * intersection): an object across the ROI border counts once, with only its inside area.
 */
function countInRoi(
  roi: QueryRoi,
  spec: QuerySpec,
  prepared: Prepared[],
  merged: ReturnType<typeof mergeAcrossScenes>,
  threshold: number,
): RoiCountDto {
  const roiPolys = roi.geometry.type === 'Polygon' ? [roi.geometry.coordinates] : roi.geometry.coordinates;
  const roiFeature = multiPolygon(roiPolys as [number, number][][][]);
  let count = 0;
  let areaM2 = 0;
  for (const m of merged) {
    const p = prepared.find((x) => x.s.sceneId === m.sceneId)!;
    const { rows, cols } = p.s.field.meta;
    const touch =
      p.touch && spec.roi?.id === roi.id
        ? p.touch
        : roiTouchMask(roiToGrid(roi.geometry, p.s.field.meta), rows, cols);
    if (!touches(m.detection, touch)) continue;
    count++;
    for (const poly of m.polygon) {
      const inter = intersect(featureCollection([multiPolygon([poly]), roiFeature]));
      if (inter) areaM2 += area(inter);
    }
  }
  return { roiId: roi.id, name: roi.name, query: spec.label, count, areaM2, threshold };
}
