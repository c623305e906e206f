import type { GeoTIFFImage } from 'geotiff';

/** TIFF compression ids geotiff.js 3 decodes (none, LZW, JPEG, Deflate, PackBits, LERC, ZSTD, WebP). */
export const SUPPORTED_COMPRESSIONS = new Set([1, 5, 7, 8, 32946, 32773, 34887, 50000, 50001]);

const COMPRESSION_NAMES: Record<number, string> = {
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  6: 'old-style JPEG',
  34712: 'JPEG 2000',
  34925: 'LZMA',
  50002: 'JPEG XL',
};

/** Human name of a TIFF compression id, for error messages. */
export function compressionName(id: number): string {
  return COMPRESSION_NAMES[id] ?? `compression id ${id}`;
}

/** Data type name of sample 0 in numpy/GDAL-like lower case ('uint8', 'uint16', 'float32', …). */
export function sampleDataType(image: GeoTIFFImage): string {
  const format = image.getSampleFormat(0) ?? 1;
  const bits = image.getBitsPerSample(0);
  const kind = format === 3 ? 'float' : format === 2 ? 'int' : 'uint';
  return `${kind}${bits}`;
}

/** Dataset-level items of the GDAL_METADATA tag (`<Item name="X">v</Item>` without a sample). */
export function parseGdalMetadata(xml: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!xml) return out;
  const re = /<Item\s+([^>]*)>([^<]*)<\/Item>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs = m[1];
    if (/\bsample=/.test(attrs)) continue;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (name) out[name] = m[2].trim();
  }
  return out;
}

/** The magic bytes of classic and Big TIFF in both byte orders. */
export function isTiffMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const le = head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0;
  const be = head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43);
  return le || be;
}
