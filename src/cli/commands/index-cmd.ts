import type { Command } from '../command';
import { AppError } from '../../shared/errors';
import { InProcessEngine } from '../../engine/engine-client';
import { openSearch } from '../../core/search/open-search';
import { gridFor } from '../../core/search/index-job';
import { flagNumber, flagString } from '../parse-args';
import { profileFlag } from './info';

export const indexCommand: Command = {
  name: 'index',
  usage:
    'index <project> <source...> --pack <id> [--force-gsd] [--reindex] [--no-chips] [--dtype float16|int8] [--json]',
  summary:
    'index imagery into a project with a patch-encoder pack (embedding field; resumable: run it again to continue)',
  flags: [
    { name: 'pack', type: 'string', description: 'model pack id (see `packs list`), e.g. starter-naip' },
    { name: 'profile', type: 'string', description: 'sensor profile (default: detected)' },
    {
      name: 'force-gsd',
      type: 'boolean',
      description: 'index even when the imagery GSD is more than 4x off the pack training GSD',
    },
    {
      name: 'reindex',
      type: 'boolean',
      description: 'replace an existing index of this scene and pack made with other settings',
    },
    {
      name: 'no-chips',
      type: 'boolean',
      description:
        'skip the per-chip image embeddings (no chip retrieval; about half the work for CLIP-style packs)',
    },
    { name: 'dtype', type: 'string', description: 'storage: float16 (default) or int8 (+ per-patch scale)' },
    { name: 'margin', type: 'string', description: 'context patches around each chip (default 0)' },
    {
      name: 'chunk-chips',
      type: 'string',
      description: 'chips per field chunk side (default: chunks of about 64 patches)',
    },
  ],
  async run(args, io) {
    const [dir, ...sources] = args.positionals;
    const packId = flagString(args, 'pack');
    if (!dir || sources.length === 0 || !packId)
      throw new AppError('BAD_REQUEST', `usage: graft-workbench ${indexCommand.usage}`);
    const dtype = flagString(args, 'dtype');
    if (dtype !== undefined && dtype !== 'float16' && dtype !== 'int8')
      throw new AppError('BAD_REQUEST', `--dtype must be float16 or int8, got "${dtype}"`);
    const engine = new InProcessEngine();
    try {
      const svc = await openSearch(dir, engine, { create: true });
      const { scene } = await svc.addScene(sources, profileFlag(flagString(args, 'profile')));
      const pack = await svc.pack(packId);
      const opts = {
        forceGsd: args.flags['force-gsd'] === true,
        reindex: args.flags.reindex === true,
        chipEmbeddings: args.flags['no-chips'] !== true,
        dtype: dtype as 'float16' | 'int8' | undefined,
        margin: flagNumber(args, 'margin', { int: true, min: 0 }),
        chipsPerChunk: flagNumber(args, 'chunk-chips', { int: true, min: 1 }),
      };
      const grid = gridFor(scene, pack, opts);
      if (Math.abs(grid.scale - 1) > 1e-6)
        io.err(
          `note: ${scene.name} is ${grid.sceneResM.toFixed(2)} m/pixel; chips are resampled to the pack's ${grid.gsdM} m (×${(1 / grid.scale).toFixed(2)}, bilinear)`,
        );
      else if (pack.source === 'starter' && Math.abs(grid.gsdM - pack.manifest.gsd_m) > 1e-6)
        io.err(
          `note: starter pack ${packId} reads chips at the scene's own ${grid.gsdM.toFixed(2)} m/pixel (its features are scale-free band statistics)`,
        );
      const s = await svc.index(scene.id, packId, opts, io.job(`index ${scene.name}`));
      if (io.jsonMode) return io.json({ ...s, project: svc.project.dir, scene: scene.name });
      io.out(
        `indexed ${scene.name} with ${packId}: ${s.rows}x${s.cols} patches at ${s.gsdM.toFixed(2)} m (${s.chunksWritten} chunk(s) written` +
          `${s.chunksResumed ? `, ${s.chunksResumed} already done` : ''}, ${s.chipsRun} chips run, ${s.chipsSkipped} nodata chips skipped` +
          `${s.chunksWritten ? `, ${s.patchesPerS.toFixed(0)} patches/s` : ''})`,
      );
      io.out(`field: ${s.fieldDir}`);
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
