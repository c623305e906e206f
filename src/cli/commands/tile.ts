import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { openScene, renderTile, type RenderKind } from '../../core/imagery/index';
import { flagString } from '../parse-args';
import { AppError } from '../../shared/errors';
import { profileFlag } from './info';

export const tileCommand: Command = {
  name: 'tile',
  usage: 'tile <source...> <z> <x> <y> -o tile.png [--render truecolor|falsecolor]',
  summary: 'render one Web Mercator XYZ tile of imagery to a PNG (or .webp) file',
  flags: [
    { name: 'output', alias: 'o', type: 'string', description: 'output file (.png or .webp)' },
    { name: 'render', type: 'string', description: 'truecolor (default) or falsecolor (NIR,R,G)' },
    { name: 'profile', type: 'string', description: 'sensor profile (default: detected)' },
    { name: 'size', type: 'string', description: 'tile edge in pixels (default 256)' },
  ],
  async run(args, io) {
    const pos = args.positionals;
    if (pos.length < 4) throw new AppError('BAD_REQUEST', `usage: ${tileCommand.usage}`);
    const [z, x, y] = pos.slice(-3).map((s) => {
      if (!/^\d+$/.test(s))
        throw new AppError('BAD_REQUEST', `tile coordinates must be integers, got "${s}"`);
      return Number(s);
    });
    const out = flagString(args, 'output');
    if (!out) throw new AppError('BAD_REQUEST', 'missing -o <file.png>');
    const render = (flagString(args, 'render') ?? 'truecolor') as RenderKind;
    if (render !== 'truecolor' && render !== 'falsecolor') {
      throw new AppError('BAD_REQUEST', `--render must be truecolor or falsecolor, got "${render}"`);
    }
    const size = Number(flagString(args, 'size') ?? 256);
    if (!Number.isInteger(size) || size < 16 || size > 4096)
      throw new AppError('BAD_REQUEST', `--size must be 16–4096`);
    const format = path.extname(out).toLowerCase() === '.webp' ? 'webp' : 'png';
    const scene = await openScene(pos.slice(0, -3), { profile: profileFlag(flagString(args, 'profile')) });
    try {
      const buf = await renderTile(scene, z, x, y, { render, size, format });
      if (!buf) throw new AppError('NOT_FOUND', `tile ${z}/${x}/${y} is outside ${scene.name}`);
      try {
        fs.writeFileSync(out, buf);
      } catch (err) {
        throw new AppError('IO', `${out}: cannot write (${(err as Error).message})`);
      }
      if (io.jsonMode) io.json({ file: out, bytes: buf.length, z, x, y, render, sceneId: scene.id });
      else io.out(`wrote ${out} (${buf.length} bytes, tile ${z}/${x}/${y}, ${render})`);
      return 0;
    } finally {
      scene.close();
    }
  },
};
