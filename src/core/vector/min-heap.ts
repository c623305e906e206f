/**
 * Binary min-heap of (key, id) pairs in typed arrays. Ties on `key` break on the smaller
 * `id`, so pop order (and everything built on it) is deterministic.
 */
export class MinHeap {
  private keys = new Float64Array(256);
  private ids = new Int32Array(256);
  size = 0;

  push(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.ids);
      this.ids = v;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(key, id, this.keys[parent], this.ids[parent])) break;
      this.keys[i] = this.keys[parent];
      this.ids[i] = this.ids[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.ids[i] = id;
  }

  /** Removes the smallest entry and returns its id (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.ids[0];
    const key = this.keys[--this.size];
    const id = this.ids[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.less(this.keys[c + 1], this.ids[c + 1], this.keys[c], this.ids[c])) c++;
      if (!this.less(this.keys[c], this.ids[c], key, id)) break;
      this.keys[i] = this.keys[c];
      this.ids[i] = this.ids[c];
      i = c;
    }
    this.keys[i] = key;
    this.ids[i] = id;
    return top;
  }

  private less(k1: number, i1: number, k2: number, i2: number): boolean {
    return k1 < k2 || (k1 === k2 && i1 < i2);
  }
}
