import { AppError } from '../../shared/errors';
import { normaliseSource, openScene, sceneId, type OpenSceneOptions } from './open-scene';
import { renderTile, type RenderTileOptions } from './render-tile';
import type { Scene, SceneInfo } from './scene';

/** Bytes of encoded tiles kept in memory across all scenes (tiles are a cache: cheap to rebuild). */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The open scenes of one host process, keyed by their stable id, plus an LRU cache of encoded
 * tiles. Opening the same sources twice returns the same scene.
 */
export class SceneRegistry {
  private readonly scenes = new Map<string, Scene>();
  private readonly opening = new Map<string, Promise<Scene>>();
  // Map keeps insertion order: re-inserting on hit makes the first key the least recently used.
  private readonly tiles = new Map<string, Buffer | null>();
  private tileBytes = 0;

  constructor(private readonly maxCacheBytes = DEFAULT_CACHE_BYTES) {}

  /** Opens (or returns the already open) scene for these sources. */
  async open(sources: string[], opts: OpenSceneOptions = {}, signal?: AbortSignal): Promise<Scene> {
    const id = sceneId(sources.map(normaliseSource), opts.profile);
    const have = this.scenes.get(id);
    if (have) return have;
    let p = this.opening.get(id);
    if (!p) {
      p = openScene(sources, opts, signal).finally(() => this.opening.delete(id));
      this.opening.set(id, p);
    }
    const scene = await p;
    this.scenes.set(scene.id, scene);
    return scene;
  }

  /** The open scene with this id, or a NOT_FOUND AppError. */
  get(id: string): Scene {
    const s = this.scenes.get(id);
    if (!s) throw new AppError('NOT_FOUND', `scene ${id} is not open`);
    return s;
  }

  list(): SceneInfo[] {
    return [...this.scenes.values()].map((s) => s.info());
  }

  /** Closes a scene and drops its cached tiles. Returns false when it was not open. */
  close(id: string): boolean {
    const s = this.scenes.get(id);
    if (!s) return false;
    s.close();
    this.scenes.delete(id);
    for (const [k, v] of this.tiles) {
      if (k.startsWith(`${id}/`)) {
        this.tileBytes -= v?.length ?? 0;
        this.tiles.delete(k);
      }
    }
    return true;
  }

  closeAll(): void {
    for (const id of [...this.scenes.keys()]) this.close(id);
  }

  /** A tile of an open scene, from the cache when possible (null: outside the scene). */
  async renderTile(
    id: string,
    z: number,
    x: number,
    y: number,
    opts: RenderTileOptions,
    signal?: AbortSignal,
  ): Promise<Buffer | null> {
    const scene = this.get(id);
    const key = `${id}/${opts.render}/${opts.format ?? 'png'}/${opts.size ?? 256}/${z}/${x}/${y}`;
    if (this.tiles.has(key)) {
      const hit = this.tiles.get(key) ?? null;
      this.tiles.delete(key);
      this.tiles.set(key, hit);
      return hit;
    }
    const tile = await renderTile(scene, z, x, y, opts, signal);
    if (!this.scenes.has(id)) return tile;
    this.tiles.set(key, tile);
    this.tileBytes += tile?.length ?? 0;
    for (const [k, v] of this.tiles) {
      if (this.tileBytes <= this.maxCacheBytes) break;
      this.tiles.delete(k);
      this.tileBytes -= v?.length ?? 0;
    }
    return tile;
  }
}
