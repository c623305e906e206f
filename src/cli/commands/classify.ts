import type { Command } from '../command';
import { AppError } from '../../shared/errors';
import { InProcessEngine } from '../../engine/engine-client';
import { openSearch } from '../../core/search/open-search';
import { flagString } from '../parse-args';
import { readRoiFile } from './query';

export const classifyCommand: Command = {
  name: 'classify',
  usage: 'classify <project> --roi r.geojson --labels "a,b,c" [--pack <id>] [--scene <id>] [--json]',
  summary: 'zero-shot classification of an ROI against a label list with an image-level pack',
  flags: [
    { name: 'roi', type: 'string', description: 'GeoJSON Polygon/MultiPolygon (WGS84)' },
    { name: 'labels', type: 'string', description: 'comma-separated labels, at least two' },
    {
      name: 'pack',
      type: 'string',
      description: 'image-level pack (default: the pack the project is indexed with)',
    },
    {
      name: 'scene',
      type: 'string',
      description: 'scene id (default: the first project scene the ROI intersects)',
    },
  ],
  async run(args, io) {
    const [dir] = args.positionals;
    const roiFile = flagString(args, 'roi');
    const labels = (flagString(args, 'labels') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!dir || !roiFile || labels.length < 2)
      throw new AppError(
        'BAD_REQUEST',
        `usage: graft-workbench ${classifyCommand.usage} (at least two labels)`,
      );
    const roi = await readRoiFile(roiFile);
    const engine = new InProcessEngine();
    try {
      const svc = await openSearch(dir, engine);
      const r = await svc.classify({
        roi: roi.geometry,
        labels,
        packId: flagString(args, 'pack'),
        sceneId: flagString(args, 'scene'),
      });
      if (io.jsonMode) return io.json(r);
      io.out(`${roi.name}: ${r.chips} chip(s) with ${r.packId}`);
      for (const l of r.labels)
        io.out(`  ${l.label.padEnd(24)} cosine ${l.score.toFixed(3)}  p ${l.probability.toFixed(3)}`);
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
