import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import type { ObjectFeatureSchema, segmentRequests } from '../../shared/contract/segment';
import type { z } from 'zod';
import type { QueryResult } from '../../shared/contract/search';
import type { ParsedReqOf, ResOf } from '../../shared/rpc';
import type { SceneRegistry } from '../imagery/scene-registry';
import type { JobRunner } from '../jobs/job-runner';
import { PackRegistry } from '../packs/pack-registry';
import { chooseSegmenter } from './choose-segmenter';
import { exportObjects, type ObjectSet } from './export-objects';
import { windowPixelCache } from './region-grow-segmenter';
import { segmentPoints } from './segment-points';
import { segmentQueryResult } from './segment-query';

type M = typeof segmentRequests;
type ObjectFeatureJson = z.output<typeof ObjectFeatureSchema>;
export type SegmentHandlers = {
  [K in keyof M]: (req: ParsedReqOf<M, K>, ctx: { signal: AbortSignal }) => Promise<ResOf<M, K>>;
};

export interface SegmentHandlerDeps {
  scenes: SceneRegistry;
  engine: Engine;
  jobs: JobRunner;
  packs?: PackRegistry;
  /** A query's result by id (the search service's); without it 'segment.detections' is UNSUPPORTED. */
  queryResult?: (queryId: string, signal?: AbortSignal) => Promise<QueryResult>;
}

/** A feature as JSON carries it: dates as ISO text, non-finite numbers as null. */
function toJsonFeature(f: ObjectSet['features'][number]): ObjectFeatureJson {
  const properties = Object.fromEntries(
    Object.entries(f.properties).map(([k, v]) => [
      k,
      v instanceof Date ? v.toISOString() : typeof v === 'number' && !Number.isFinite(v) ? null : v,
    ]),
  );
  return { ...f, properties } as ObjectFeatureJson;
}

/**
 * Host handlers of the segment contract. Segmented objects are kept in memory per query id
 * ('points' for clicks) until exported; 'export.run' without a query id writes all of them.
 */
export function segmentHandlers(deps: SegmentHandlerDeps): SegmentHandlers {
  const packs = deps.packs ?? new PackRegistry();
  const store = new Map<string, ObjectSet[]>();
  // Region growing's window pixels between clicks (SAM's embeddings are cached in the engine).
  const windowCache = windowPixelCache(4);
  return {
    'segment.points': async (req, ctx) => {
      const scene = deps.scenes.get(req.sceneId);
      const segmenter = await chooseSegmenter(
        deps.engine,
        packs,
        { packId: req.packId, choice: req.segmenter, windowCache },
        ctx.signal,
      );
      const r = await segmentPoints(
        scene,
        req.points,
        segmenter,
        { toleranceM: req.toleranceM, query: req.query },
        { signal: ctx.signal, progress: () => {} },
      );
      const features = r.features.map(toJsonFeature);
      store.set('points', [
        ...(store.get('points') ?? []),
        { query: req.query, roi: 'scene', sceneId: scene.id, features: r.features },
      ]);
      const skipped = r.skipped.map((s) => ({ index: s.id, reason: s.reason }));
      return {
        features: { type: 'FeatureCollection' as const, features },
        segmenter: segmenter.kind,
        skipped,
        timings: r.timings,
      };
    },
    'segment.detections': async (req) => {
      const lookup = deps.queryResult;
      if (!lookup)
        throw new AppError(
          'UNSUPPORTED',
          'segment.detections: this host has no query results to segment (run query.run first in a host with a project)',
        );
      const info = deps.jobs.start(
        'segment.detections',
        `Segment detections of query ${req.queryId}`,
        async (job) => {
          const result = await lookup(req.queryId, job.signal);
          const segmenter = await chooseSegmenter(
            deps.engine,
            packs,
            { packId: req.packId, choice: req.segmenter, windowCache },
            job.signal,
          );
          const { sets } = await segmentQueryResult(
            result,
            { scene: async (id) => deps.scenes.get(id), segmenter, patchPack: null },
            { toleranceM: req.toleranceM },
            job,
          );
          store.set(req.queryId, sets);
          return {
            queryId: req.queryId,
            count: sets.reduce((n, s) => n + s.features.length, 0),
            segmenter: segmenter.kind,
          };
        },
      );
      return { jobId: info.jobId };
    },
    'segment.objects': async (req) => {
      const sets = store.get(req.queryId);
      if (!sets)
        throw new AppError(
          'NOT_FOUND',
          `query ${req.queryId} has no segmented objects (run segment.detections first)`,
        );
      return {
        features: {
          type: 'FeatureCollection' as const,
          features: sets.flatMap((set) => set.features.map(toJsonFeature)),
        },
      };
    },
    'export.run': async (req, ctx) => {
      const sets = req.queryId ? store.get(req.queryId) : [...store.values()].flat();
      if (!sets)
        throw new AppError(
          'NOT_FOUND',
          `export: query ${req.queryId} has no segmented objects (run segment.detections first)`,
        );
      const count = await exportObjects(req.path, req.format, sets, ctx.signal);
      return { path: req.path, count };
    },
  };
}
