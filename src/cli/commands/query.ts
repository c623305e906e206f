import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../command';
import { AppError } from '../../shared/errors';
import { InProcessEngine } from '../../engine/engine-client';
import { openSearch } from '../../core/search/open-search';
import { parseRoiGeoJson } from '../../core/project/roi-geometry';
import { writeGeoJson } from '../../core/export/write-geojson';
import type { RoiGeometry } from '../../shared/contract/search';
import { flagNumber, flagString } from '../parse-args';
import { SEGMENT_QUERY_FLAGS, searchSceneResolver, segmentQueryForCli } from './segment';

/** Reads an ROI file: all its Polygon/MultiPolygon features as one MultiPolygon. */
export async function readRoiFile(file: string): Promise<{ name: string; geometry: RoiGeometry }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'NOT_FOUND',
      `${file}: cannot read the ROI file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const rois = parseRoiGeoJson(text, file, path.basename(file));
  const coordinates = rois.flatMap((r) =>
    r.geometry.type === 'Polygon' ? [r.geometry.coordinates] : r.geometry.coordinates,
  );
  return {
    name: rois.length === 1 ? rois[0].name : path.basename(file),
    geometry: { type: 'MultiPolygon', coordinates },
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export const queryCommand: Command = {
  name: 'query',
  usage:
    'query <project> "<text>" [--pack <id>] [--roi r.geojson] [--threshold T | --top-k K] [-o detections.geojson] [--segment [--sam-pack id] [--tolerance m] [--counts c.csv] -o objects.geojson|.gpkg|.csv] [--json]',
  summary: 'text query over an indexed project: detections (patch-square polygons, WGS84) and counts',
  flags: [
    { name: 'pack', type: 'string', description: 'pack to query with (default: the only one indexed)' },
    {
      name: 'roi',
      type: 'string',
      description: 'GeoJSON Polygon/MultiPolygon (WGS84) restricting the query and counting in it',
    },
    {
      name: 'threshold',
      type: 'string',
      description: 'score threshold (cosine, -1..1); default: automatic (see src/core/search/README.md)',
    },
    {
      name: 'top-k',
      type: 'string',
      description: 'detections from the K best patches instead of a threshold',
    },
    {
      name: 'out',
      alias: 'o',
      type: 'string',
      description:
        'write detections as a GeoJSON FeatureCollection (with --segment: objects as .geojson, .gpkg or .csv)',
    },
    ...SEGMENT_QUERY_FLAGS,
  ],
  async run(args, io) {
    const [dir, text] = args.positionals;
    if (!dir || !text || args.positionals.length > 2)
      throw new AppError('BAD_REQUEST', `usage: graft-workbench ${queryCommand.usage}`);
    const threshold = flagNumber(args, 'threshold', { min: -1, max: 1 });
    const topK = flagNumber(args, 'top-k', { int: true, min: 1 });
    if (threshold !== undefined && topK !== undefined)
      throw new AppError('BAD_REQUEST', 'give either --threshold or --top-k, not both');
    const roiFile = flagString(args, 'roi');
    const roi = roiFile ? await readRoiFile(roiFile) : undefined;
    const out = flagString(args, 'out');
    const engine = new InProcessEngine();
    try {
      const svc = await openSearch(dir, engine);
      const r = await svc.query({
        text,
        packId: flagString(args, 'pack'),
        roi: roi?.geometry,
        roiName: roi?.name,
        threshold,
        topK,
      });
      if (args.flags.segment === true) {
        const pack = await svc.pack(r.packId);
        const pe = pack.manifest.roles.patch_encoder;
        const sha256 = pe ? (pack.manifest.files[pe.file]?.sha256 ?? '') : '';
        const seg = await segmentQueryForCli(
          r,
          engine,
          searchSceneResolver(svc),
          { id: r.packId, sha256 },
          args,
          io,
        );
        if (io.jsonMode)
          return io.json({
            queryId: r.queryId,
            text: r.text,
            packId: r.packId,
            threshold: r.threshold,
            detections: r.detections.features.length,
            ...seg,
          });
        return 0;
      }
      if (out) {
        await writeGeoJson(
          out,
          r.detections.features.map((f) => ({
            type: 'Feature',
            id: f.id,
            geometry: f.geometry,
            properties: f.properties,
          })),
        );
      }
      const count = r.detections.features.length;
      if (io.jsonMode) {
        return io.json({
          queryId: r.queryId,
          text: r.text,
          packId: r.packId,
          threshold: r.threshold,
          thresholdSource: r.thresholdSource,
          count,
          counts: r.counts,
          scenes: r.scenes.map(({ scores: _s, ...rest }) => rest),
          topK: r.topK,
          detections: r.detections,
          output: out ?? null,
        });
      }
      io.out(
        `${count} detection(s) of "${r.text}" with ${r.packId} (threshold ${fmt(r.threshold)}, ${r.thresholdSource}) in ${r.scenes.length} scene(s)`,
      );
      for (const s of r.scenes)
        io.out(
          `  scene ${s.sceneId}: ${s.rows}x${s.cols} patches, scores min ${fmt(s.stats.min)} p50 ${fmt(s.stats.p50)} p99 ${fmt(s.stats.p99)} max ${fmt(s.stats.max)}${s.complete ? '' : ' (index incomplete)'}`,
        );
      for (const c of r.counts)
        io.out(`  ROI "${c.name}": ${c.count} detection(s), ${(c.areaM2 / 10_000).toFixed(2)} ha inside`);
      if (out) io.out(`wrote ${out}`);
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
