import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import { metresPerUnit, wgs84Converter, type Crs, type Wgs84Converter } from './crs';
import type { ProfileId } from './profiles';
import type { GeoTransform, RasterSource } from './raster-source';
import { sampleBlock, type LevelBlock, type Resample } from './sampling';

/** One band of a scene: where it lives and how its DNs become physical units (v = dn*scale + offset). */
export interface BandRef {
  name: string;
  dataType: string;
  source: number;
  sample: number;
  scale: number;
  offset: number;
}

/** A resolution level shared by every source: its size and the level index inside each source. */
export interface SceneLevel {
  width: number;
  height: number;
  perSource: number[];
}

/** Display stretch: physical value range [lo, hi] mapped to 0–255, per band name. */
export interface StretchInfo {
  method: 'percentile' | 'identity8';
  percentiles: [number, number];
  bands: Record<string, [number, number]>;
}

export interface PixelWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadWindowOptions {
  bands?: string[];
  outWidth?: number;
  outHeight?: number;
  resample?: Resample;
}

export interface WindowData {
  width: number;
  height: number;
  data: Float32Array[]; // per band float32[height*width], physical units (NAIP DN, S2 reflectance)
  valid: Uint8Array; // uint8[height*width], 1 = has data
}

/** The JSON-able description of a scene (what crosses the contract). */
export interface SceneInfo {
  id: string;
  name: string;
  sources: string[];
  profile: ProfileId;
  width: number;
  height: number;
  bands: { name: string; dataType: string }[];
  crs: Crs;
  geoTransform: GeoTransform;
  resolutionM: [number, number];
  boundsWgs84: [number, number, number, number];
  boundsNative: [number, number, number, number];
  nodata: number | null;
  date: string | null;
  stretch: StretchInfo;
  availableRenders: ('truecolor' | 'falsecolor')[];
}

/** An opened scene: one grid, one CRS, N bands from one or more GeoTIFFs. Reads by window only. */
export class Scene {
  readonly width: number;
  readonly height: number;
  readonly geoTransform: GeoTransform;
  readonly crs: Crs;
  readonly boundsNative: [number, number, number, number];
  readonly boundsWgs84: [number, number, number, number];
  readonly resolutionM: [number, number];
  readonly nodata: number | null;
  stretch: StretchInfo = { method: 'identity8', percentiles: [0, 100], bands: {} };
  private readonly conv: Wgs84Converter;
  private readonly inv: [number, number, number, number, number, number];

  constructor(
    readonly id: string,
    readonly name: string,
    readonly sources: string[],
    readonly profile: ProfileId,
    readonly rasters: RasterSource[],
    readonly bandRefs: BandRef[],
    readonly levels: SceneLevel[],
    readonly date: string | null,
  ) {
    const r0 = rasters[0];
    this.width = r0.width;
    this.height = r0.height;
    this.geoTransform = r0.geoTransform;
    this.crs = r0.crs;
    this.nodata = r0.nodata;
    this.conv = wgs84Converter(this.crs);
    const [a, b, c, d, e, f] = this.geoTransform;
    const det = b * f - c * e;
    // Inverse affine: col = (f*(x-a) - c*(y-d))/det, row = (-e*(x-a) + b*(y-d))/det
    this.inv = [a, d, f / det, -c / det, -e / det, b / det];
    const corners = [
      [0, 0],
      [this.width, 0],
      [0, this.height],
      [this.width, this.height],
    ].map(([px, py]) => this.pixelToNative(px, py));
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    this.boundsNative = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    this.boundsWgs84 = this.densifiedWgs84Bounds();
    const lat = (this.boundsWgs84[1] + this.boundsWgs84[3]) / 2;
    const [mx, my] = metresPerUnit(this.crs, lat);
    this.resolutionM = [Math.hypot(b, e) * mx, Math.hypot(c, f) * my];
  }

  get bands(): { name: string; dataType: string }[] {
    return this.bandRefs.map((b) => ({ name: b.name, dataType: b.dataType }));
  }

  /** Renders this scene can make: true colour needs R,G,B (a single band is shown grey); false colour NIR,R,G. */
  get availableRenders(): ('truecolor' | 'falsecolor')[] {
    const has = (n: string) => this.bandRefs.some((b) => b.name === n);
    return has('NIR') && has('R') && has('G') ? ['truecolor', 'falsecolor'] : ['truecolor'];
  }

  /** Full-resolution pixel-edge coordinates → native CRS coordinates. */
  pixelToNative(px: number, py: number): [number, number] {
    const [a, b, c, d, e, f] = this.geoTransform;
    return [a + px * b + py * c, d + px * e + py * f];
  }

  /** Native CRS coordinates → full-resolution pixel-edge coordinates. */
  nativeToPixel(x: number, y: number): [number, number] {
    const [a, d, i0, i1, i2, i3] = this.inv;
    const dx = x - a;
    const dy = y - d;
    return [i0 * dx + i1 * dy, i2 * dx + i3 * dy];
  }

  /** Pixel-edge coordinates (0,0 = top-left corner; +0.5 = first pixel centre) → [lon, lat]. */
  toWgs84(px: number, py: number): [number, number] {
    const [x, y] = this.pixelToNative(px, py);
    return this.conv.toWgs84(x, y);
  }

  /** [lon, lat] → pixel-edge coordinates of the full-resolution grid. */
  fromWgs84(lon: number, lat: number): [number, number] {
    const [x, y] = this.conv.fromWgs84(lon, lat);
    return this.nativeToPixel(x, y);
  }

  /** lon/lat → native CRS (for callers that project many points, e.g. the tile renderer). */
  wgs84ToNative(lon: number, lat: number): [number, number] {
    return this.conv.fromWgs84(lon, lat);
  }

  private densifiedWgs84Bounds(): [number, number, number, number] {
    // Edges of a projected grid are curves in lon/lat: sample 21 points per edge like gdalinfo's extent does with corners.
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (let k = 0; k <= 20; k++) {
      const t = k / 20;
      for (const [px, py] of [
        [t * this.width, 0],
        [t * this.width, this.height],
        [0, t * this.height],
        [this.width, t * this.height],
      ]) {
        const [lon, lat] = this.toWgs84(px, py);
        w = Math.min(w, lon);
        e = Math.max(e, lon);
        s = Math.min(s, lat);
        n = Math.max(n, lat);
      }
    }
    return [w, s, e, n];
  }

  /** Indexes of the named bands (all bands when `names` is undefined). */
  bandIndexes(names?: string[]): number[] {
    if (!names) return this.bandRefs.map((_, i) => i);
    return names.map((n) => {
      const i = this.bandRefs.findIndex((b) => b.name === n);
      if (i < 0) {
        throw new AppError(
          'BAD_REQUEST',
          `${this.name}: no band "${n}" (bands: ${this.bandRefs.map((b) => b.name).join(', ')})`,
        );
      }
      return i;
    });
  }

  /** The coarsest level whose pixels are still at least as fine as `factor` full-res pixels. */
  levelForFactor(factor: number): number {
    let best = 0;
    this.levels.forEach((lv, i) => {
      const f = Math.min(this.width / lv.width, this.height / lv.height);
      if (
        f <= factor * 1.01 &&
        f > Math.min(this.width / this.levels[best].width, this.height / this.levels[best].height)
      ) {
        best = i;
      }
    });
    return best;
  }

  /**
   * Reads a window [x0,y0,x1,y1) of level `level` (clamped to it) in physical units, with
   * validity from nodata values and internal masks (a pixel is valid when every band has data).
   */
  async readLevelBlock(
    level: number,
    win: [number, number, number, number],
    bandIdx: number[],
    signal?: AbortSignal,
  ): Promise<LevelBlock> {
    const lv = this.levels[level];
    const x0 = Math.max(0, Math.min(lv.width, Math.floor(win[0])));
    const y0 = Math.max(0, Math.min(lv.height, Math.floor(win[1])));
    const x1 = Math.max(x0, Math.min(lv.width, Math.ceil(win[2])));
    const y1 = Math.max(y0, Math.min(lv.height, Math.ceil(win[3])));
    const w = x1 - x0;
    const h = y1 - y0;
    const bands = bandIdx.map(() => new Float32Array(w * h));
    const valid = new Uint8Array(w * h).fill(1);
    const block: LevelBlock = { x0, y0, w, h, levelW: lv.width, levelH: lv.height, bands, valid };
    if (w === 0 || h === 0) return block;
    const bySource = new Map<number, number[]>();
    bandIdx.forEach((bi, k) => {
      const s = this.bandRefs[bi].source;
      bySource.set(s, [...(bySource.get(s) ?? []), k]);
    });
    await Promise.all(
      [...bySource].map(async ([s, ks]) => {
        const src = this.rasters[s];
        const l = lv.perSource[s];
        const window: [number, number, number, number] = [x0, y0, x1, y1];
        const samples = ks.map((k) => this.bandRefs[bandIdx[k]].sample);
        const [raw, mask] = await Promise.all([
          src.read(l, window, samples, signal),
          src.readMask(l, window, signal),
        ]);
        const nd = src.nodata;
        ks.forEach((k, j) => {
          const { scale, offset } = this.bandRefs[bandIdx[k]];
          const r = raw[j];
          const out = bands[k];
          for (let p = 0; p < out.length; p++) {
            const dn = r[p];
            if (nd !== null && (dn === nd || Number.isNaN(dn))) valid[p] = 0;
            out[p] = dn * scale + offset;
          }
        });
        if (mask) for (let p = 0; p < mask.length; p++) if (!mask[p]) valid[p] = 0;
      }),
    );
    throwIfAborted(signal);
    return block;
  }

  /**
   * Reads a window of the full-resolution grid, optionally resampled to outWidth×outHeight
   * from the best overview (never the whole raster unless asked). Values are physical units.
   */
  async readWindow(
    win: PixelWindow,
    opts: ReadWindowOptions = {},
    signal?: AbortSignal,
  ): Promise<WindowData> {
    const outW = opts.outWidth ?? win.width;
    const outH = opts.outHeight ?? win.height;
    if (!(win.width > 0 && win.height > 0 && outW > 0 && outH > 0)) {
      throw new AppError('BAD_REQUEST', `${this.name}: empty window ${JSON.stringify(win)}`);
    }
    const bandIdx = this.bandIndexes(opts.bands);
    const level = this.levelForFactor(Math.min(win.width / outW, win.height / outH));
    const lv = this.levels[level];
    const sx = lv.width / this.width;
    const sy = lv.height / this.height;
    const block = await this.readLevelBlock(
      level,
      [win.x * sx - 1, win.y * sy - 1, (win.x + win.width) * sx + 1, (win.y + win.height) * sy + 1],
      bandIdx,
      signal,
    );
    const n = outW * outH;
    const us = new Float64Array(n);
    const vs = new Float64Array(n);
    for (let j = 0; j < outH; j++) {
      const v = (win.y + ((j + 0.5) * win.height) / outH) * sy;
      for (let i = 0; i < outW; i++) {
        us[j * outW + i] = (win.x + ((i + 0.5) * win.width) / outW) * sx;
        vs[j * outW + i] = v;
      }
    }
    const data = bandIdx.map(() => new Float32Array(n));
    const valid = new Uint8Array(n);
    sampleBlock(block, us, vs, n, opts.resample ?? 'nearest', data, valid);
    return { width: outW, height: outH, data, valid };
  }

  /** The JSON part of the scene. */
  info(): SceneInfo {
    return {
      id: this.id,
      name: this.name,
      sources: this.sources,
      profile: this.profile,
      width: this.width,
      height: this.height,
      bands: this.bands,
      crs: this.crs,
      geoTransform: this.geoTransform,
      resolutionM: this.resolutionM,
      boundsWgs84: this.boundsWgs84,
      boundsNative: this.boundsNative,
      nodata: this.nodata,
      date: this.date,
      stretch: this.stretch,
      availableRenders: this.availableRenders,
    };
  }

  /** Releases file handles. */
  close(): void {
    for (const r of this.rasters) r.close();
  }
}
