import type { JobContext } from '../jobs/job-types';
import { clickPrompts, type ClickPoint } from './click-prompts';
import {
  segmentScene,
  type SegmentableScene,
  type SegmentSceneOptions,
  type SegmentSceneResult,
} from './segment-scene';
import type { Segmenter } from './segment-types';

/**
 * Clicks (WGS84) → instance polygons: each positive click one object, negative clicks refine
 * the nearest positive one. Skipped points carry their index in `points` and the reason.
 */
export async function segmentPoints(
  scene: SegmentableScene & { fromWgs84(lon: number, lat: number): [number, number] },
  points: ClickPoint[],
  segmenter: Segmenter,
  opts: SegmentSceneOptions & { query?: string; patchPack?: { id: string; sha256: string } | null },
  job: JobContext,
): Promise<SegmentSceneResult> {
  const prompts = clickPrompts(points, (lon, lat) => scene.fromWgs84(lon, lat));
  return segmentScene(
    scene,
    prompts,
    segmenter,
    {
      query: opts.query ?? 'click',
      threshold: null,
      patchPack: opts.patchPack ?? null,
      sceneId: scene.id,
      acquiredAt: scene.date,
      createdAt: new Date().toISOString(),
    },
    opts,
    job,
  );
}
