import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import { writeChunk } from '../field/field-chunks';
import { chunkBounds } from '../field/field-store';
import type { Field } from '../field/field-types';
import type { Pack } from '../packs/manifest';
import type { ChipGrid, ChipWindow } from '../search/chip-grid';
import type { ReadChips } from '../search/read-chips';
import { MIN_CHIP_VALID_FRACTION } from './chip-field';

/**
 * Which chips of a batch get an image embedding: those the indexer runs (a kept patch has data)
 * whose patches are at least MIN_CHIP_VALID_FRACTION data, so a sliver of scene at the edge
 * (the rest fed to the encoder as zeros) is never retrieved for what the zeros look like.
 * @returns indices into the batch
 */
export function retrievableChips(grid: ChipGrid, read: ReadChips, n: number): number[] {
  const gg = grid.patchesPerChip * grid.patchesPerChip;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    if (!read.keep[k]) continue;
    let v = 0;
    for (let p = 0; p < gg; p++) v += read.patchValid[k * gg + p];
    if (v >= MIN_CHIP_VALID_FRACTION * gg) out.push(k);
  }
  return out;
}

/**
 * One chunk of a chip field being computed: the indexer feeds it the chips it reads (batch by
 * batch, the same batches as the patch encoder, so a resumed run gives the same bytes) and
 * writes it once the chunk's chips are all done.
 */
export class ChipChunk {
  /** float32[h, w, dim] image embeddings (normalised by writeChunk), uint8[h, w] valid. */
  readonly data: Float32Array;
  readonly valid: Uint8Array;
  private readonly r0: number;
  private readonly c0: number;
  private readonly w: number;
  chipsRun = 0;

  constructor(
    readonly field: Field,
    readonly grid: ChipGrid,
    readonly cr: number,
    readonly cc: number,
  ) {
    const b = chunkBounds(field.grid, cr, cc);
    this.r0 = b.r0;
    this.c0 = b.c0;
    this.w = b.c1 - b.c0;
    this.data = new Float32Array((b.r1 - b.r0) * this.w * field.meta.dim);
    this.valid = new Uint8Array((b.r1 - b.r0) * this.w);
  }

  /**
   * Encodes the retrievable chips of one batch with the pack's image encoder (in the engine).
   * @param pixels float32[n, bands, S, S] as readChips returned them
   */
  async encode(
    engine: Engine,
    pack: Pack,
    chips: ChipWindow[],
    read: ReadChips,
    bands: string[],
    signal?: AbortSignal,
  ): Promise<void> {
    const sel = retrievableChips(this.grid, read, chips.length);
    if (sel.length === 0) return;
    const S = this.grid.inputSize;
    const plane = S * S * bands.length;
    const pixels = new Float32Array(sel.length * plane);
    sel.forEach((k, j) => pixels.set(read.pixels.subarray(k * plane, (k + 1) * plane), j * plane));
    const m = pack.manifest;
    // embeds: float32[n, dim]
    const enc = await engine.request(
      'engine.encodeImages',
      { packId: m.id, packDir: pack.dir, pixels, bands, n: sel.length, height: S, width: S },
      { signal },
    );
    const dim = this.field.meta.dim;
    if (enc.dim !== dim || enc.n !== sel.length)
      throw new AppError(
        'PACK_INVALID',
        `pack ${m.id}: image encoder returned ${enc.n} embeddings of ${enc.dim} dims for ${sel.length} chips, manifest says ${dim} dims`,
      );
    const step = this.grid.step;
    sel.forEach((k, j) => {
      const cell = (chips[k].r0 / step - this.r0) * this.w + (chips[k].c0 / step - this.c0);
      this.data.set(enc.embeds.subarray(j * dim, (j + 1) * dim), cell * dim);
      this.valid[cell] = 1;
    });
    this.chipsRun += sel.length;
  }

  /** Writes the chunk atomically and marks it complete (see writeChunk). */
  write(signal?: AbortSignal): Promise<void> {
    return writeChunk(this.field, this.cr, this.cc, this.data, this.valid, signal);
  }
}
