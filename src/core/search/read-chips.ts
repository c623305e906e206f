import type { Scene } from '../imagery/scene';
import type { ChipGrid, ChipWindow } from './chip-grid';

/** A patch counts as data when at least this fraction of its chip pixels is valid. */
export const MIN_VALID_FRACTION = 0.5;

export interface ReadChips {
  /** float32[n, bands, S, S] physical units; nodata pixels are 0 (what readWindow returns). */
  pixels: Float32Array;
  /** uint8[n, g, g]: 1 = the patch has >= MIN_VALID_FRACTION valid pixels. */
  patchValid: Uint8Array;
  /** Per chip: true when one of its kept patches is valid (others are not run). */
  keep: boolean[];
}

/**
 * Reads chips at the grid's GSD: a window of inputSize·scale scene pixels resampled to
 * inputSize (nearest at scale 1, where it is exact; bilinear otherwise, nodata-aware).
 */
export async function readChips(
  scene: Scene,
  grid: ChipGrid,
  chips: ChipWindow[],
  bands: string[],
  signal?: AbortSignal,
): Promise<ReadChips> {
  const S = grid.inputSize;
  const P = grid.patchSize;
  const g = grid.patchesPerChip;
  const plane = S * S;
  const pixels = new Float32Array(chips.length * bands.length * plane);
  const patchValid = new Uint8Array(chips.length * g * g);
  const keep: boolean[] = [];
  const exact = Math.abs(grid.scale - 1) < 1e-9;
  const wins = await Promise.all(
    chips.map((c) =>
      scene.readWindow(
        { x: c.x, y: c.y, width: c.size, height: c.size },
        { bands, outWidth: S, outHeight: S, resample: exact ? 'nearest' : 'bilinear' },
        signal,
      ),
    ),
  );
  wins.forEach((win, k) => {
    win.data.forEach((d, b) => pixels.set(d, (k * bands.length + b) * plane));
    const need = MIN_VALID_FRACTION * P * P;
    let any = false;
    for (let pr = 0; pr < g; pr++) {
      for (let pc = 0; pc < g; pc++) {
        let n = 0;
        for (let y = pr * P; y < (pr + 1) * P; y++)
          for (let x = pc * P; x < (pc + 1) * P; x++) n += win.valid[y * S + x];
        const ok = n >= need;
        patchValid[k * g * g + pr * g + pc] = ok ? 1 : 0;
        const kept =
          pr >= grid.margin &&
          pc >= grid.margin &&
          pr - grid.margin < chips[k].h &&
          pc - grid.margin < chips[k].w;
        if (ok && kept) any = true;
      }
    }
    keep.push(any);
  });
  return { pixels, patchValid, keep };
}
