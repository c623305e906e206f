import sharp from 'sharp';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { Scene } from './scene';
import { sampleBlock } from './sampling';

export type RenderKind = 'truecolor' | 'falsecolor';

export interface RenderTileOptions {
  render: RenderKind;
  /** Tile edge in pixels (256 default). */
  size?: number;
  format?: 'png' | 'webp';
}

/** Web Mercator half-extent in metres (EPSG:3857). */
const HALF = Math.PI * 6378137;
/** The exact inverse projection is evaluated on a grid of this step and interpolated in between (see test). */
const GRID_STEP = 8;

/** Web Mercator bounds [minX, minY, maxX, maxY] (metres) of XYZ tile z/x/y. */
export function tileBoundsMercator(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * HALF) / 2 ** z;
  return [-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size];
}

/** Web Mercator metres → [lon, lat] degrees. */
export function mercatorToLonLat(mx: number, my: number): [number, number] {
  const lon = (mx / 6378137) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(my / 6378137)) - Math.PI / 2) * (180 / Math.PI);
  return [lon, lat];
}

/** Band names a render reads: R,G,B (or the first band, grey, for scenes without RGB) / NIR,R,G. */
export function renderBands(scene: Scene, render: RenderKind): string[] {
  const has = (n: string) => scene.bandRefs.some((b) => b.name === n);
  if (render === 'falsecolor') {
    if (!(has('NIR') && has('R') && has('G'))) {
      throw new AppError('BAD_REQUEST', `${scene.name}: false colour needs NIR, R and G bands`);
    }
    return ['NIR', 'R', 'G'];
  }
  if (has('R') && has('G') && has('B')) return ['R', 'G', 'B'];
  const first = scene.bandRefs[0].name;
  return [first, first, first];
}

/**
 * Full-resolution pixel-edge coordinates of every tile pixel centre: exact inverse projection
 * (Mercator → lon/lat → scene CRS → pixel) on a GRID_STEP grid, bilinearly interpolated between
 * nodes. For UTM scenes the interpolation error is far below 0.01 px (tested), smaller than
 * GDAL's own approximate transformer threshold (0.125 px).
 */
export function tilePixelCoords(
  scene: Scene,
  z: number,
  x: number,
  y: number,
  size: number,
): { us: Float64Array; vs: Float64Array } {
  const [minX, , maxX, maxY] = tileBoundsMercator(z, x, y);
  const res = (maxX - minX) / size;
  const nodes = Math.ceil(size / GRID_STEP) + 1;
  const gu = new Float64Array(nodes * nodes);
  const gv = new Float64Array(nodes * nodes);
  for (let j = 0; j < nodes; j++) {
    for (let i = 0; i < nodes; i++) {
      const [lon, lat] = mercatorToLonLat(
        minX + (i * GRID_STEP + 0.5) * res,
        maxY - (j * GRID_STEP + 0.5) * res,
      );
      const [nx, ny] = scene.wgs84ToNative(lon, lat);
      const [u, v] = scene.nativeToPixel(nx, ny);
      gu[j * nodes + i] = u;
      gv[j * nodes + i] = v;
    }
  }
  const us = new Float64Array(size * size);
  const vs = new Float64Array(size * size);
  for (let py = 0; py < size; py++) {
    const j = Math.min(nodes - 2, Math.floor(py / GRID_STEP));
    const ty = (py - j * GRID_STEP) / GRID_STEP;
    for (let px = 0; px < size; px++) {
      const i = Math.min(nodes - 2, Math.floor(px / GRID_STEP));
      const tx = (px - i * GRID_STEP) / GRID_STEP;
      const k = j * nodes + i;
      const w00 = (1 - tx) * (1 - ty);
      const w10 = tx * (1 - ty);
      const w01 = (1 - tx) * ty;
      const w11 = tx * ty;
      us[py * size + px] = w00 * gu[k] + w10 * gu[k + 1] + w01 * gu[k + nodes] + w11 * gu[k + nodes + 1];
      vs[py * size + px] = w00 * gv[k] + w10 * gv[k + 1] + w01 * gv[k + nodes] + w11 * gv[k + nodes + 1];
    }
  }
  return { us, vs };
}

/** Tile pixels as RGBA before encoding: uint8[size*size*4]; null when the tile misses the scene. */
export async function renderTileRgba(
  scene: Scene,
  z: number,
  x: number,
  y: number,
  opts: RenderTileOptions,
  signal?: AbortSignal,
): Promise<Uint8Array | null> {
  const size = opts.size ?? 256;
  const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
  const [w, s] = mercatorToLonLat(minX, minY);
  const [e, n] = mercatorToLonLat(maxX, maxY);
  const b = scene.boundsWgs84;
  if (e <= b[0] || w >= b[2] || n <= b[1] || s >= b[3]) return null;
  const names = renderBands(scene, opts.render);
  const { us, vs } = tilePixelCoords(scene, z, x, y, size);
  let u0 = Infinity, v0 = Infinity, u1 = -Infinity, v1 = -Infinity; // prettier-ignore
  for (let i = 0; i < us.length; i++) {
    if (us[i] < u0) u0 = us[i];
    if (us[i] > u1) u1 = us[i];
    if (vs[i] < v0) v0 = vs[i];
    if (vs[i] > v1) v1 = vs[i];
  }
  if (u1 < 0 || v1 < 0 || u0 >= scene.width || v0 >= scene.height) return null;
  // Source pixels per tile pixel decides the overview, like gdalwarp's -ovr AUTO.
  const factor = Math.min((u1 - u0) / size, (v1 - v0) / size);
  const level = scene.levelForFactor(factor);
  const lv = scene.levels[level];
  const sx = lv.width / scene.width;
  const sy = lv.height / scene.height;
  const unique = [...new Set(names)];
  const block = await scene.readLevelBlock(
    level,
    [u0 * sx - 1, v0 * sy - 1, u1 * sx + 2, v1 * sy + 2],
    scene.bandIndexes(unique),
    signal,
  );
  throwIfAborted(signal);
  const npx = size * size;
  for (let i = 0; i < npx; i++) {
    us[i] *= sx;
    vs[i] *= sy;
  }
  const vals = unique.map(() => new Float32Array(npx));
  const valid = new Uint8Array(npx);
  sampleBlock(block, us, vs, npx, 'bilinear', vals, valid);
  const rgba = new Uint8Array(npx * 4);
  names.forEach((name, c) => {
    const src = vals[unique.indexOf(name)];
    const [lo, hi] = scene.stretch.bands[name] ?? [0, 255];
    const k = 255 / (hi - lo);
    for (let i = 0; i < npx; i++) {
      const v = (src[i] - lo) * k;
      rgba[i * 4 + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  });
  for (let i = 0; i < npx; i++) rgba[i * 4 + 3] = valid[i] ? 255 : 0;
  return rgba;
}

/**
 * Renders XYZ tile z/x/y (Web Mercator) of a scene: bilinear resampling through the inverse
 * projection at every pixel, per-band stretch, nodata and masks transparent. Null when the tile
 * lies outside the scene.
 */
export async function renderTile(
  scene: Scene,
  z: number,
  x: number,
  y: number,
  opts: RenderTileOptions,
  signal?: AbortSignal,
): Promise<Buffer | null> {
  if (!(
    Number.isInteger(z) &&
    Number.isInteger(x) &&
    Number.isInteger(y) &&
    z >= 0 &&
    z <= 30 &&
    x >= 0 &&
    y >= 0 &&
    x < 2 ** z &&
    y < 2 ** z
  )) {
    throw new AppError('BAD_REQUEST', `invalid tile ${z}/${x}/${y}`);
  }
  const size = opts.size ?? 256;
  const rgba = await renderTileRgba(scene, z, x, y, opts, signal);
  if (!rgba) return null;
  const img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: size, height: size, channels: 4 },
  });
  return opts.format === 'webp' ? img.webp({ lossless: true }).toBuffer() : img.png().toBuffer();
}
