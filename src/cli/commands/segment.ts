import type { CliIo, Command } from '../command';
import { AppError } from '../../shared/errors';
import { InProcessEngine, type Engine } from '../../engine/engine-client';
import type { QueryResult } from '../../shared/contract/search';
import { openScene, sceneId, type ProfileId } from '../../core/imagery/index';
import type { Scene } from '../../core/imagery/scene';
import { PackRegistry } from '../../core/packs/pack-registry';
import { chooseSegmenter, type SegmenterChoice } from '../../core/segment/choose-segmenter';
import {
  assertWritable,
  countRows,
  exportObjects,
  formatForPath,
  type ObjectSet,
} from '../../core/segment/export-objects';
import { segmentPoints } from '../../core/segment/segment-points';
import { segmentQueryResult, type SegmentQueryDeps } from '../../core/segment/segment-query';
import type { ClickPoint } from '../../core/segment/click-prompts';
import { flagList, flagNumber, flagString } from '../parse-args';
import { profileFlag } from './info';

/** Parses "lon,lat[,label]" (label 1 = object, 0 = not the object; default 1). */
export function parsePoint(s: string): ClickPoint {
  const parts = s.split(',').map((x) => x.trim());
  const [lon, lat, label] = parts.map(Number);
  if (
    parts.length < 2 ||
    parts.length > 3 ||
    !Number.isFinite(lon) ||
    !Number.isFinite(lat) ||
    Math.abs(lon) > 180 ||
    Math.abs(lat) > 90
  )
    throw new AppError(
      'BAD_REQUEST',
      `--point "${s}": expected lon,lat[,label] in WGS84 degrees, e.g. --point -99.15,47.03`,
    );
  if (parts.length === 3 && label !== 0 && label !== 1)
    throw new AppError('BAD_REQUEST', `--point "${s}": label must be 1 (object) or 0 (not the object)`);
  return { lon, lat, label: parts.length === 3 ? (label as 0 | 1) : 1 };
}

function segmenterChoice(args: { flags: Record<string, unknown> }): SegmenterChoice {
  const v = args.flags['segmenter'];
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'sam' || v === 'region-grow') return v;
  throw new AppError('BAD_REQUEST', `--segmenter must be auto, sam or region-grow, got "${String(v)}"`);
}

/** Writes one export per path (format from the extension) and prints what went where. */
async function writeOutputs(
  paths: string[],
  sets: ObjectSet[],
  io: CliIo,
): Promise<{ path: string; count: number }[]> {
  const written: { path: string; count: number }[] = [];
  for (const p of paths) {
    const count = await exportObjects(p, formatForPath(p), sets);
    written.push({ path: p, count });
    if (!io.jsonMode) io.out(`wrote ${p} (${count} ${formatForPath(p) === 'csv' ? 'row(s)' : 'feature(s)'})`);
  }
  return written;
}

/**
 * Scene lookup for query results: by the project's scene id, or (when the index recorded the
 * id of the scene opened with an explicit profile, which hashes differently) by matching
 * sceneId(sources, profile) of the project's scenes.
 */
export function searchSceneResolver(svc: {
  scene(id: string, signal?: AbortSignal): Promise<Scene>;
  project: { data: { scenes: { id: string; sources: string[]; profile: ProfileId }[] } };
}): SegmentQueryDeps['scene'] {
  return async (id, signal) => {
    const entry =
      svc.project.data.scenes.find((s) => s.id === id) ??
      svc.project.data.scenes.find((s) => sceneId(s.sources, s.profile) === id);
    if (!entry) return svc.scene(id, signal); // its NOT_FOUND names the project's scenes
    return svc.scene(entry.id, signal);
  };
}

/** Flags the query command takes for --segment (add them to its flag list). */
export const SEGMENT_QUERY_FLAGS = [
  {
    name: 'segment',
    type: 'boolean' as const,
    description: 'segment every detection into instance polygons (SAM pack, else region growing)',
  },
  {
    name: 'sam-pack',
    type: 'string' as const,
    description: 'with --segment: SAM pack id (default: an installed SAM pack, else region growing)',
  },
  {
    name: 'tolerance',
    type: 'string' as const,
    description: 'with --segment: polygon simplification tolerance, metres (default half a pixel)',
  },
  {
    name: 'counts',
    type: 'string' as const,
    description: 'with --segment: also write a CSV of object counts per ROI',
  },
];

/**
 * `query … --segment`: segments the detections of a query result and writes `out` (.geojson,
 * .gpkg or .csv by extension) and the `--counts` CSV. Returns the summary for --json output.
 */
export async function segmentQueryForCli(
  result: QueryResult,
  engine: Engine,
  scene: SegmentQueryDeps['scene'],
  patchPack: { id: string; sha256: string } | null,
  args: { flags: Record<string, string | boolean | string[]> },
  io: CliIo,
): Promise<{
  count: number;
  segmenter: string;
  counts: ReturnType<typeof countRows>;
  outputs: { path: string; count: number }[];
  skipped: number;
}> {
  const parsed = { positionals: [], flags: args.flags };
  const segmenter = await chooseSegmenter(engine, new PackRegistry(), {
    packId: flagString(parsed, 'sam-pack'),
    choice: segmenterChoice(parsed),
  });
  const job = io.job(`segment ${result.text}`);
  const { sets, results } = await segmentQueryResult(
    result,
    { scene, segmenter, patchPack },
    { toleranceM: flagNumber(parsed, 'tolerance', { min: 0 }) },
    job,
  );
  const paths = [flagString(parsed, 'out'), flagString(parsed, 'counts')].filter((p): p is string => !!p);
  await assertWritable(paths);
  const outputs = await writeOutputs(paths, sets, io);
  const count = sets.reduce((n, s) => n + s.features.length, 0);
  const skipped = results.reduce((n, r) => n + r.skipped.length, 0);
  if (!io.jsonMode) {
    io.out(
      `${count} object(s) of "${result.text}" segmented by ${segmenter.kind}${segmenter.pack ? ` (${segmenter.pack.id})` : ''} from ${result.detections.features.length} detection(s)${skipped ? `, ${skipped} prompt(s) made nothing` : ''}`,
    );
    for (const r of countRows(sets))
      io.out(
        `  ROI "${r.roi}" scene ${r.scene_id}: ${r.count} object(s), ${(Number(r.area_m2) / 10_000).toFixed(2)} ha`,
      );
  }
  return { count, segmenter: segmenter.kind, counts: countRows(sets), outputs, skipped };
}

export const segmentCommand: Command = {
  name: 'segment',
  usage:
    'segment <source...> --point lon,lat[,label] ... [--pack <sam-pack-id>] [--segmenter auto|sam|region-grow] [--tolerance m] -o out.geojson|out.gpkg|out.csv [--json]',
  summary:
    'point prompts → instance polygons (SAM pack, else region growing), exported as GeoJSON, GeoPackage or counts CSV',
  flags: [
    {
      name: 'point',
      type: 'multi',
      description: 'lon,lat[,label] in WGS84; label 1 (default) = object, 0 = not the object',
    },
    {
      name: 'pack',
      type: 'string',
      description: 'SAM pack id (default: an installed SAM pack, else region growing)',
    },
    { name: 'segmenter', type: 'string', description: 'auto (default), sam or region-grow' },
    {
      name: 'tolerance',
      type: 'string',
      description: 'simplification tolerance in metres (default half a pixel)',
    },
    { name: 'profile', type: 'string', description: 'sensor profile (default: detected)' },
    { name: 'query', type: 'string', description: 'query text recorded on the features (default "click")' },
    { name: 'out', alias: 'o', type: 'multi', description: 'output file(s): .geojson, .gpkg or .csv' },
  ],
  async run(args, io) {
    if (args.positionals.length === 0)
      throw new AppError('BAD_REQUEST', `usage: graft-workbench ${segmentCommand.usage}`);
    const points = flagList(args, 'point').map(parsePoint);
    if (points.length === 0) throw new AppError('BAD_REQUEST', 'segment: give at least one --point lon,lat');
    if (!points.some((p) => p.label === 1))
      throw new AppError(
        'BAD_REQUEST',
        'segment: every --point is negative (label 0); give at least one positive point',
      );
    const outs = flagList(args, 'out');
    await assertWritable(outs); // bad extensions and unwritable folders fail before any work
    const toleranceM = flagNumber(args, 'tolerance', { min: 0 });
    const scene = await openScene(args.positionals, { profile: profileFlag(flagString(args, 'profile')) });
    const engine = new InProcessEngine();
    try {
      const segmenter = await chooseSegmenter(engine, new PackRegistry(), {
        packId: flagString(args, 'pack'),
        choice: segmenterChoice(args),
      });
      const query = flagString(args, 'query') ?? 'click';
      const r = await segmentPoints(scene, points, segmenter, { toleranceM, query }, io.job('segment'));
      const sets: ObjectSet[] = [{ query, roi: 'scene', sceneId: scene.id, features: r.features }];
      for (const s of r.skipped) io.err(`warning: point ${s.id + 1}: ${s.reason}`);
      const outputs = await writeOutputs(outs, sets, io);
      const t = r.timings;
      if (io.jsonMode)
        return io.json({
          sceneId: scene.id,
          segmenter: segmenter.kind,
          samPack: segmenter.pack,
          count: r.features.length,
          skipped: r.skipped,
          timings: t,
          outputs,
          features: r.features,
        });
      io.out(
        `${r.features.length} object(s) from ${points.filter((p) => p.label === 1).length} positive point(s) by ${segmenter.kind}${segmenter.pack ? ` (${segmenter.pack.id})` : ''} in ${scene.name}`,
      );
      r.features.forEach((f) =>
        io.out(
          `  #${f.id}: ${Number(f.properties.area_m2).toFixed(0)} m²${f.properties.sam_iou !== null ? `, SAM IoU ${Number(f.properties.sam_iou).toFixed(3)}` : ''}`,
        ),
      );
      io.out(
        `time: read ${t.readMs.toFixed(0)} ms, encode ${t.encodeMs.toFixed(0)} ms, decode ${t.decodeMs.toFixed(0)} ms, polygons ${t.polygonMs.toFixed(0)} ms`,
      );
      return r.features.length > 0 ? 0 : 1;
    } finally {
      engine.dispose();
      scene.close();
    }
  },
};
