import type { QueryResult } from '../../shared/contract/search';
import type { Detection } from '../detect/detection-types';
import type { JobContext } from '../jobs/job-types';
import { detectionPrompts, type PatchGridRef } from './detection-prompts';
import type { ObjectSet } from './export-objects';
import type { FeatureContext } from './instance-to-feature';
import {
  segmentScene,
  type SegmentableScene,
  type SegmentSceneOptions,
  type SegmentSceneResult,
} from './segment-scene';
import type { Segmenter } from './segment-types';

type SceneScores = QueryResult['scenes'][number];

/**
 * The patch grid of a query's scene scores in scene pixels: the grid's top-left and
 * bottom-right corners (WGS84 in the result) projected back to the scene, cells between them
 * (the patch grid is axis-aligned with the scene grid, so this is exact).
 */
export function patchGridOf(
  s: SceneScores,
  scene: Pick<SegmentableScene, 'width'> & { fromWgs84(lon: number, lat: number): [number, number] },
): PatchGridRef {
  const [tlx, tly] = scene.fromWgs84(s.corners[0][0], s.corners[0][1]);
  const [brx, bry] = scene.fromWgs84(s.corners[2][0], s.corners[2][1]);
  const cw = (brx - tlx) / s.cols;
  const ch = (bry - tly) / s.rows;
  return {
    rows: s.rows,
    cols: s.cols,
    cellToScenePx: (r, c) => [tlx + (c + 0.5) * cw, tly + (r + 0.5) * ch],
    patchSizePx: Math.abs(cw),
  };
}

/** The query's detections of one scene rebuilt on its grid: peak cell from the peak lon/lat, cells = its 8-connected component >= threshold. */
function sceneDetections(
  result: QueryResult,
  s: SceneScores,
  toPx: (lon: number, lat: number) => [number, number],
  grid: PatchGridRef,
): Detection[] {
  const [tlx, tly] = grid.cellToScenePx(0, 0);
  const [nx, ny] = grid.cellToScenePx(1, 1);
  const out: Detection[] = [];
  for (const f of result.detections.features) {
    const p = f.properties;
    if (p.scene !== s.sceneId) continue;
    const [x, y] = toPx(p.peak_lon, p.peak_lat);
    const col = Math.round((x - tlx) / (nx - tlx));
    const row = Math.round((y - tly) / (ny - tly));
    if (row < 0 || col < 0 || row >= s.rows || col >= s.cols) continue;
    const peakCell = row * s.cols + col;
    const seen = new Set<number>([peakCell]);
    const stack = [peakCell];
    while (stack.length) {
      const c = stack.pop()!;
      const r0 = Math.floor(c / s.cols);
      const c0 = c - r0 * s.cols;
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const r = r0 + dr;
          const cc = c0 + dc;
          if (r < 0 || cc < 0 || r >= s.rows || cc >= s.cols) continue;
          const k = r * s.cols + cc;
          if (!seen.has(k) && s.scores[k] >= result.threshold) {
            seen.add(k);
            stack.push(k);
          }
        }
    }
    const cells = Int32Array.from([...seen].sort((a, b) => a - b));
    out.push({
      id: p.id,
      cells,
      peak: p.score,
      peakCell,
      mean: p.mean_score,
      areaPatches: cells.length,
      areaM2: p.area_m2,
      bbox: { r0: row, c0: col, r1: row + 1, c1: col + 1 },
    });
  }
  return out;
}

export interface SegmentQueryDeps {
  /** The open scene with this id (a Scene from the registry or the search service). */
  scene(
    sceneId: string,
    signal?: AbortSignal,
  ): Promise<SegmentableScene & { fromWgs84(lon: number, lat: number): [number, number] }>;
  segmenter: Segmenter;
  patchPack: { id: string; sha256: string } | null;
}

/**
 * Segments every detection of a query result (`query.run` / SearchService.query): per scene,
 * one prompt per detection (positive at the peak patch centre, up to 2 negatives at the
 * lowest-scoring neighbouring patches), then `segmentScene`. Progress phase 'segment' per scene.
 * @returns one ObjectSet per scene (for export) and the per-scene results.
 */
export async function segmentQueryResult(
  result: QueryResult,
  deps: SegmentQueryDeps,
  opts: SegmentSceneOptions,
  job: JobContext,
): Promise<{ sets: ObjectSet[]; results: SegmentSceneResult[] }> {
  const createdAt = new Date().toISOString();
  const sets: ObjectSet[] = [];
  const results: SegmentSceneResult[] = [];
  const roi = result.counts.length === 1 ? result.counts[0].name : 'scene';
  for (const [i, s] of result.scenes.entries()) {
    const scene = await deps.scene(s.sceneId, job.signal);
    const grid = patchGridOf(s, scene);
    const dets = sceneDetections(result, s, (lon, lat) => scene.fromWgs84(lon, lat), grid);
    const ctx: FeatureContext = {
      query: result.text,
      threshold: result.threshold,
      patchPack: deps.patchPack,
      sceneId: s.sceneId,
      acquiredAt: scene.date,
      createdAt,
    };
    const r = dets.length
      ? await segmentScene(
          scene,
          detectionPrompts(dets, s.scores, grid, result.threshold),
          deps.segmenter,
          ctx,
          opts,
          {
            signal: job.signal,
            progress: (phase, done, total) =>
              job.progress(phase, i * total + done, result.scenes.length * total),
          },
        )
      : {
          features: [],
          instances: [],
          skipped: [],
          timings: {
            readMs: 0,
            encodeMs: 0,
            decodeMs: 0,
            polygonMs: 0,
            totalMs: 0,
            cachedWindows: 0,
            windows: 0,
          },
        };
    results.push(r);
    sets.push({ query: result.text, roi, sceneId: s.sceneId, features: r.features });
  }
  return { sets, results };
}
