import fs from 'node:fs';
import path from 'node:path';
import { fromFile, fromUrl, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { AppError, isAbortError } from '../../shared/errors';
import { abortError, throwIfAborted } from '../../shared/abort';
import { crsFromGeoKeys, type Crs } from './crs';
import { probeRangeSupport } from './http-probe';
import {
  SUPPORTED_COMPRESSIONS,
  compressionName,
  isTiffMagic,
  parseGdalMetadata,
  sampleDataType,
} from './tiff-meta';

/** GDAL-order affine transform: x = g0 + col*g1 + row*g2, y = g3 + col*g4 + row*g5 (pixel-edge coords). */
export type GeoTransform = [number, number, number, number, number, number];

/** One resolution level of a GeoTIFF: the full image or an overview, with its internal mask if any. */
export interface RasterLevel {
  image: GeoTIFFImage;
  width: number;
  height: number;
  mask: GeoTIFFImage | null;
}

/** Raw pixels of a window of one level: one typed array per requested sample, row-major [h, w]. */
export type RawBands = ArrayLike<number>[];

/** One GeoTIFF (file or URL) with its levels, finest first. Pixels are only read by window. */
export interface RasterSource {
  href: string;
  name: string;
  width: number;
  height: number;
  bandCount: number;
  dataType: string;
  geoTransform: GeoTransform;
  crs: Crs;
  nodata: number | null;
  levels: RasterLevel[];
  /** Dataset-level GDAL_METADATA items (e.g. PROCESSING_BASELINE, BOA_ADD_OFFSET). */
  metadata: Record<string, string>;
  /** TIFF DateTime tag (306), 'YYYY:MM:DD HH:MM:SS', when present. */
  tiffDateTime: string | null;
  /** Reads samples `samples` of window [x0,y0,x1,y1) of level `level` (the window must lie inside it). */
  read(
    level: number,
    window: [number, number, number, number],
    samples: number[],
    signal?: AbortSignal,
  ): Promise<RawBands>;
  /** The internal mask of the same window (non-zero = valid), or null when the level has none. */
  readMask(
    level: number,
    window: [number, number, number, number],
    signal?: AbortSignal,
  ): Promise<Uint8Array | null>;
  close(): void;
}

/** True for http(s) URLs; everything else is a local path (file:// URLs are turned into paths). */
export function isUrl(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

function displayName(href: string): string {
  return isUrl(href) ? href : path.basename(href);
}

/** Maps an unexpected geotiff.js failure to an AppError that names the file. */
function wrapReadError(err: unknown, name: string, what: string, signal?: AbortSignal): AppError {
  if (signal?.aborted || isAbortError(err)) return abortError();
  if (err instanceof AppError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError('INVALID_INPUT', `${name}: ${what} (${msg}); the file may be truncated or corrupt`);
}

/**
 * Opens a GeoTIFF/COG from a local path or an http(s) URL (range requests). Validates everything
 * that would otherwise fail later with an obscure error: magic bytes, georeferencing, CRS,
 * compression, and that every tile/strip lies inside the file (a truncated download).
 */
export async function openRasterSource(href: string, signal?: AbortSignal): Promise<RasterSource> {
  throwIfAborted(signal);
  const local = href.startsWith('file://') ? decodeURIComponent(new URL(href).pathname) : href;
  const name = displayName(local);
  let tiff: GeoTIFF;
  let fileSize: number | null;
  if (isUrl(local)) {
    const probe = await probeRangeSupport(local, signal);
    if (!isTiffMagic(probe.head))
      throw new AppError('INVALID_INPUT', `${name}: not a TIFF file (bad magic bytes)`);
    fileSize = probe.size;
    try {
      tiff = await fromUrl(local, { allowFullFile: false }, signal);
    } catch (err) {
      throw wrapReadError(err, name, 'cannot parse TIFF header', signal);
    }
  } else {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(local);
    } catch {
      throw new AppError('NOT_FOUND', `${name}: file not found (${local})`);
    }
    if (!stat.isFile()) throw new AppError('INVALID_INPUT', `${name}: not a file`);
    fileSize = stat.size;
    const head = Buffer.alloc(16);
    const fd = fs.openSync(local, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!isTiffMagic(head)) throw new AppError('INVALID_INPUT', `${name}: not a TIFF file (bad magic bytes)`);
    try {
      tiff = await fromFile(local, signal);
    } catch (err) {
      throw wrapReadError(err, name, 'cannot parse TIFF header', signal);
    }
  }
  try {
    return await describe(tiff, local, name, fileSize, signal);
  } catch (err) {
    void tiff.close();
    throw wrapReadError(err, name, 'cannot parse TIFF directories', signal);
  }
}

async function describe(
  tiff: GeoTIFF,
  href: string,
  name: string,
  fileSize: number | null,
  signal?: AbortSignal,
): Promise<RasterSource> {
  const count = await tiff.getImageCount();
  const images: GeoTIFFImage[] = [];
  const masks: GeoTIFFImage[] = [];
  for (let i = 0; i < count; i++) {
    throwIfAborted(signal);
    const im = await tiff.getImage(i);
    const subfile = (im.fileDirectory.getValue('NewSubfileType') as number | undefined) ?? 0;
    if (subfile & 4) masks.push(im);
    else if (i === 0 || subfile & 1) images.push(im);
  }
  const base = images[0];
  const fd = base.fileDirectory;
  if (!fd.hasTag('ModelTransformation') && !(fd.hasTag('ModelTiepoint') && fd.hasTag('ModelPixelScale'))) {
    throw new AppError(
      'INVALID_INPUT',
      `${name}: TIFF without georeferencing (no ModelTiepoint/ModelTransformation tags)`,
    );
  }
  const keys = base.getGeoKeys() as Record<string, unknown> | null;
  const crs = crsFromGeoKeys(keys, name);
  const compression = (fd.getValue('Compression') as number | undefined) ?? 1;
  if (!SUPPORTED_COMPRESSIONS.has(compression)) {
    throw new AppError(
      'UNSUPPORTED',
      `${name}: unsupported TIFF compression ${compressionName(compression)}`,
    );
  }
  const geoTransform = readGeoTransform(base, keys);
  const levels: RasterLevel[] = images
    .sort((a, b) => b.getWidth() - a.getWidth())
    .map((image) => ({
      image,
      width: image.getWidth(),
      height: image.getHeight(),
      mask:
        masks.find((m) => m.getWidth() === image.getWidth() && m.getHeight() === image.getHeight()) ?? null,
    }));
  if (fileSize !== null) await checkNotTruncated(levels, name, fileSize);
  const metadata = parseGdalMetadata((await fd.loadValue(42112)) as string | undefined); // GDAL_METADATA;
  const dateTime = ((await fd.loadValue(306)) as string | undefined) ?? null; // DateTime;
  return {
    href,
    name,
    width: base.getWidth(),
    height: base.getHeight(),
    bandCount: base.getSamplesPerPixel(),
    dataType: sampleDataType(base),
    geoTransform,
    crs,
    nodata: base.getGDALNoData(),
    levels,
    metadata,
    tiffDateTime: dateTime,
    async read(level, window, samples, sig) {
      try {
        const r = await levels[level].image.readRasters({ window, samples, interleave: false, signal: sig });
        return r as unknown as RawBands;
      } catch (err) {
        throw wrapReadError(err, name, `failed to read pixels of window [${window.join(',')}]`, sig);
      }
    },
    async readMask(level, window, sig) {
      const mask = levels[level].mask;
      if (!mask) return null;
      try {
        const r = (await mask.readRasters({
          window,
          samples: [0],
          interleave: false,
          signal: sig,
        })) as unknown as RawBands;
        return Uint8Array.from(r[0]);
      } catch (err) {
        throw wrapReadError(err, name, 'failed to read the internal mask', sig);
      }
    },
    close() {
      void tiff.close();
    },
  };
}

/** GDAL-order geotransform of the full-resolution image, honouring PixelIsPoint like GDAL does. */
function readGeoTransform(image: GeoTIFFImage, keys: Record<string, unknown> | null): GeoTransform {
  const fd = image.fileDirectory;
  let gt: GeoTransform;
  const mt = fd.getValue('ModelTransformation') as number[] | undefined;
  if (mt && mt.length >= 16) {
    gt = [mt[3], mt[0], mt[1], mt[7], mt[4], mt[5]];
  } else {
    const [ox, oy] = image.getOrigin();
    const [rx, ry] = image.getResolution();
    gt = [ox, rx, 0, oy, 0, ry];
  }
  if (keys?.GTRasterTypeGeoKey === 2) {
    // PixelIsPoint: the tiepoint is a pixel centre; GDAL shifts to the corner by half a pixel.
    gt[0] -= 0.5 * gt[1] + 0.5 * gt[2];
    gt[3] -= 0.5 * gt[4] + 0.5 * gt[5];
  }
  return gt;
}

/** A truncated file keeps a valid header but its tiles point past the end: say so at open time. */
async function checkNotTruncated(levels: RasterLevel[], name: string, fileSize: number): Promise<void> {
  for (const lv of [...levels.map((l) => l.image), ...levels.flatMap((l) => (l.mask ? [l.mask] : []))]) {
    const fd = lv.fileDirectory;
    const tiled = fd.hasTag('TileOffsets');
    const offsets = (await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as
      ArrayLike<number> | undefined;
    const counts = (await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as
      ArrayLike<number> | undefined;
    if (!offsets || !counts)
      throw new AppError('INVALID_INPUT', `${name}: TIFF without tile or strip offsets`);
    let end = 0;
    for (let i = 0; i < offsets.length; i++) end = Math.max(end, Number(offsets[i]) + Number(counts[i]));
    if (end > fileSize) {
      throw new AppError(
        'INVALID_INPUT',
        `${name}: truncated TIFF (pixel data ends at byte ${end} but the file has ${fileSize} bytes)`,
      );
    }
  }
}
