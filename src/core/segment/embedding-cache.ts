/**
 * LRU cache of SAM image embeddings (one per pack and window). Lives in the engine process:
 * an embedding is float32[1,256,64,64] = 4 MiB, so the default 16 entries hold 64 MiB.
 * A cache only: entries may be dropped at any time and are rebuilt by re-encoding.
 */
export class EmbeddingCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly capacity = 16) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // Map keeps insertion order: re-inserting makes the first key the least recently used.
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  /** Drops every entry whose key starts with `prefix` (a pack being removed, a scene closed). */
  drop(prefix = ''): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }

  get size(): number {
    return this.map.size;
  }
}
