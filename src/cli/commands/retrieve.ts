import type { Command } from '../command';
import { AppError } from '../../shared/errors';
import { InProcessEngine } from '../../engine/engine-client';
import { openSearch } from '../../core/search/open-search';
import { writeGeoJson } from '../../core/export/write-geojson';
import { DEFAULT_TOP_K } from '../../core/retrieve/run-retrieval';
import { flagList, flagNumber, flagString } from '../parse-args';
import { readRoiFile } from './query';

/** "lon,lat" or "lon,lat,0" (a negative example) → a labelled point. */
function parseExample(s: string): { lon: number; lat: number; label: 0 | 1 } {
  const v = s.split(',').map((x) => Number(x.trim()));
  if (
    (v.length !== 2 && v.length !== 3) ||
    v.some((x) => !Number.isFinite(x)) ||
    Math.abs(v[0]) > 180 ||
    Math.abs(v[1]) > 90 ||
    (v.length === 3 && v[2] !== 0 && v[2] !== 1)
  )
    throw new AppError('BAD_REQUEST', `--example "${s}": expected lon,lat or lon,lat,0|1 in WGS84 degrees`);
  return { lon: v[0], lat: v[1], label: v.length === 3 ? (v[2] as 0 | 1) : 1 };
}

export const retrieveCommand: Command = {
  name: 'retrieve',
  usage:
    'retrieve <project> "<text>" | --example lon,lat[,0|1]... [--pack <id>] [--roi r.geojson] [--top-k K] [-o chips.geojson] [--json]',
  summary:
    'chip retrieval: the image chips most like a text (or example chips), by image-level embedding, with footprints',
  flags: [
    {
      name: 'pack',
      type: 'string',
      description: 'image-level pack the project is indexed with (default: the only one indexed)',
    },
    {
      name: 'roi',
      type: 'string',
      description: 'GeoJSON Polygon/MultiPolygon (WGS84): only chips whose footprint touches it',
    },
    { name: 'top-k', type: 'string', description: `number of chips to return (default ${DEFAULT_TOP_K})` },
    {
      name: 'example',
      type: 'multi',
      description:
        'query by example instead of text: the chip under lon,lat (append ,0 for a negative example)',
    },
    {
      name: 'out',
      alias: 'o',
      type: 'string',
      description: 'write the chips as a GeoJSON FeatureCollection of footprint polygons',
    },
  ],
  async run(args, io) {
    const [dir, text] = args.positionals;
    const examples = flagList(args, 'example').map(parseExample);
    if (!dir || args.positionals.length > 2 || (!text && examples.length === 0) || (text && examples.length))
      throw new AppError(
        'BAD_REQUEST',
        `usage: graft-workbench ${retrieveCommand.usage} (a text or --example, not both)`,
      );
    const topK = flagNumber(args, 'top-k', { int: true, min: 1, max: 10_000 }) ?? DEFAULT_TOP_K;
    const roiFile = flagString(args, 'roi');
    const roi = roiFile ? await readRoiFile(roiFile) : undefined;
    const out = flagString(args, 'out');
    const engine = new InProcessEngine();
    try {
      const svc = await openSearch(dir, engine);
      const r = await svc.retrieveChips({
        text,
        points: examples.length ? examples : undefined,
        packId: flagString(args, 'pack'),
        roi: roi?.geometry,
        roiName: roi?.name,
        topK,
      });
      if (out)
        await writeGeoJson(
          out,
          r.chips.map((c, i) => ({
            type: 'Feature',
            id: i + 1,
            geometry: c.footprint,
            properties: {
              rank: i + 1,
              query: r.query,
              score: c.score,
              scene: c.sceneId,
              row: c.row,
              col: c.col,
              pack: r.packId,
              centre_lon: c.centre[0],
              centre_lat: c.centre[1],
            },
          })),
        );
      if (io.jsonMode) return io.json({ ...r, output: out ?? null });
      io.out(
        `${r.chips.length} chip(s) for "${r.query}" with ${r.packId} (of ${r.chipsSearched} chip(s) in ${r.sceneIds.length} scene(s)${roi ? `, touching ROI "${roi.name}"` : ''})`,
      );
      r.chips.forEach((c, i) =>
        io.out(
          `  ${String(i + 1).padStart(3)}. score ${c.score.toFixed(4)}  scene ${c.sceneId} chip ${c.row},${c.col}  centre ${c.centre[0].toFixed(5)}, ${c.centre[1].toFixed(5)}`,
        ),
      );
      if (out) io.out(`wrote ${out}`);
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
