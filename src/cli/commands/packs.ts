import path from 'node:path';
import type { Command } from '../command';
import { AppError } from '../../shared/errors';
import { PackRegistry, type PackSummary } from '../../core/packs/pack-registry';
import { isUrl } from '../../core/packs/handlers';
import { ensureStarterPack } from '../../core/starter-pack/generate-starter-pack';
import { candidateProviders } from '../../core/inference/execution-provider';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((v, c) => v.padEnd(w[c]))
      .join('  ')
      .trimEnd(),
  );
}

const ROLE_SHORT: Record<string, string> = {
  patch_encoder: 'patch',
  image_encoder: 'image',
  text_encoder: 'text',
  sam_image_encoder: 'sam-enc',
  sam_prompt_decoder: 'sam-dec',
};

export const packsCommand: Command = {
  name: 'packs',
  usage: 'packs list | import <dir|url> [--replace] | verify <id> [--no-hashes] | remove <id>  [--json]',
  summary: 'list, import (folder or URL, resumable), verify and remove model packs',
  flags: [
    {
      name: 'replace',
      type: 'boolean',
      description: 'import: replace an installed user pack with the same id',
    },
    {
      name: 'no-hashes',
      type: 'boolean',
      description: 'verify: skip sha256 (sizes, names, types and shapes are still checked)',
    },
  ],
  async run(args, io) {
    const [sub, target] = args.positionals;
    const registry = new PackRegistry();
    if (sub === 'list') {
      await ensureStarterPack();
      const { packs, broken } = await registry.list();
      const provider = candidateProviders()[0];
      if (io.jsonMode) return io.json({ packs: packs.map((p) => ({ ...p, provider })), broken });
      const rows = [['ID', 'SOURCE', 'ROLES', 'SENSOR', 'GSD', 'DIM', 'PREC', 'PROVIDER', 'SIZE', 'LICENSE']];
      for (const p of packs as PackSummary[])
        rows.push([
          p.id,
          p.source,
          p.roles.map((r) => ROLE_SHORT[r]).join(','),
          p.sensor,
          `${p.gsd_m} m`,
          String(p.embed_dim),
          p.precision,
          provider,
          size(p.bytes),
          p.license,
        ]);
      table(rows).forEach((l) => io.out(l));
      for (const b of broken) io.err(`skipped ${b.dir}: ${b.error.split('\n')[0]}`);
      return 0;
    }
    if (!target) throw new AppError('BAD_REQUEST', `usage: graft-workbench ${packsCommand.usage}`);
    if (sub === 'import') {
      const job = io.job(`import ${target}`);
      const opts = { replace: args.flags.replace === true };
      const s = isUrl(target)
        ? await registry.importUrl(target, job, opts)
        : await registry.importFolder(path.resolve(target), job, opts);
      if (io.jsonMode) io.json(s);
      else io.out(`installed ${s.id} ${s.version} (${s.roles.join(', ')}, ${size(s.bytes)}) at ${s.dir}`);
      return 0;
    }
    if (sub === 'verify') {
      const r = await registry.verify(
        target,
        { checkHashes: args.flags['no-hashes'] !== true },
        io.job(`verify ${target}`),
      );
      if (io.jsonMode) io.json(r);
      else if (r.ok) io.out(`${r.id}: OK (${Object.keys(r.graphs).length} graphs match the manifest)`);
      else {
        io.out(`${r.id}: ${r.problems.length} problem(s)`);
        r.problems.forEach((p) => io.out(`  ${p}`));
      }
      return r.ok ? 0 : 1;
    }
    if (sub === 'remove') {
      const r = await registry.remove(target);
      if (io.jsonMode) io.json(r);
      else io.out(`removed ${r.id} (${r.dir})`);
      return 0;
    }
    throw new AppError(
      'BAD_REQUEST',
      `unknown subcommand "${sub ?? ''}"; usage: graft-workbench ${packsCommand.usage}`,
    );
  },
};
