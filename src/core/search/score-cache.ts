/**
 * In-memory LRU of whole-scene score grids, keyed by scoreCacheKey (field state + query vector),
 * bounded in bytes. Scores are a cache (DESIGN.md): dropping them only costs a re-score.
 */
export class ScoreCache {
  private readonly map = new Map<string, Float32Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  get(key: string): Float32Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: Float32Array): void {
    if (this.map.has(key)) return;
    this.map.set(key, v);
    this.bytes += v.byteLength;
    for (const [k, x] of this.map) {
      if (this.bytes <= this.maxBytes || this.map.size <= 1) break;
      this.map.delete(k);
      this.bytes -= x.byteLength;
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}
