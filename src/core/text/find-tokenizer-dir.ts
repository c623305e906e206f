import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { fixturesDir, userPacksDir } from '../packs/pack-paths';
import { sharedDataDir } from '../util/paths';

const hasClipFiles = (dir: string) =>
  existsSync(path.join(dir, 'vocab.json')) && existsSync(path.join(dir, 'merges.txt'));

function packCandidates(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((name) => [path.join(root, name), path.join(root, name, 'tokenizer')]);
}

/**
 * The folder of CLIP `vocab.json` + `merges.txt` to use when none is given: the first installed
 * or fixture pack that carries them (at its top level or in `tokenizer/`), else the shared sample
 * data's `clip-tokenizer/`. Throws NOT_FOUND naming every place it looked.
 */
export function findClipTokenizerDir(): string {
  const candidates = [
    ...packCandidates(userPacksDir()),
    ...packCandidates(fixturesDir()),
    path.join(sharedDataDir(), 'clip-tokenizer'),
  ];
  const found = candidates.find(hasClipFiles);
  if (found) return found;
  throw new AppError(
    'NOT_FOUND',
    `no CLIP tokenizer found (vocab.json + merges.txt) in ${userPacksDir()}/*, ${fixturesDir()}/* or ` +
      `${path.join(sharedDataDir(), 'clip-tokenizer')}: pass --tokenizer-dir DIR`,
  );
}
