import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

function isOurPackage(file: string): boolean {
  try {
    return (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'graft-workbench'
    );
  } catch {
    return false;
  }
}

/** The checkout (or packaged app) root: the nearest folder above this file holding our package.json. */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) break;
    const up = path.dirname(dir);
    if (up === dir) {
      dir = process.cwd();
      break;
    }
    dir = up;
  }
  cachedRoot = dir;
  return dir;
}

/** Where user data lives (packs, caches): $GRAFT_DATA_DIR or the XDG data folder. */
export function dataDir(): string {
  if (process.env.GRAFT_DATA_DIR) return path.resolve(process.env.GRAFT_DATA_DIR);
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'graft-workbench');
}

/** ../shared/data beside the checkout: real samples for tests and benchmarks, when present. */
export function sharedDataDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'data');
}
