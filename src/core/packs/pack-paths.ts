import path from 'node:path';
import { dataDir, repoRoot } from '../util/paths';

/** Where user-installed packs live: <data dir>/packs/<id>/ ($GRAFT_DATA_DIR/packs). */
export function userPacksDir(): string {
  return path.join(dataDir(), 'packs');
}

/** The generated starter packs: <repo>/models/starter/{naip,sentinel2}/. */
export function starterDir(root = repoRoot()): string {
  return path.join(root, 'models', 'starter');
}

/** Fixture packs made by tools/export: <repo>/models/fixtures/<id>/. */
export function fixturesDir(root = repoRoot()): string {
  return path.join(root, 'models', 'fixtures');
}
