import type { Engine } from '../../engine/engine-client';
import { SceneRegistry } from '../imagery/scene-registry';
import { PackRegistry } from '../packs/pack-registry';
import { ensureStarterPack } from '../starter-pack/generate-starter-pack';
import { Project } from '../project/project';
import { SearchService } from './search-service';

/**
 * A SearchService over a project folder for one-shot callers (CLI, benchmarks, tests): its own
 * scene and pack registries; the starter pack is generated first if missing.
 */
export async function openSearch(
  dir: string,
  engine: Engine,
  opts: { create?: boolean; scenes?: SceneRegistry; packs?: PackRegistry } = {},
  signal?: AbortSignal,
): Promise<SearchService> {
  await ensureStarterPack(undefined, signal);
  const project = await Project.open(dir, { create: opts.create }, signal);
  return new SearchService(
    project,
    opts.scenes ?? new SceneRegistry(),
    opts.packs ?? new PackRegistry(),
    engine,
  );
}
