import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { abortError } from '../../shared/abort';
import { isUrl } from './raster-source';
import { canonicalBandName, type BandName } from './profiles';

/** What a STAC item contributes to a scene: raster hrefs with band names, and scene metadata. */
export interface StacSelection {
  id: string;
  hrefs: string[];
  /** Band names per href, in file order. */
  bandNames: BandName[][];
  datetime: string | null;
  constellation: string | null;
  processingBaseline: string | null;
  /** Per-href scale/offset from raster:bands (offset in physical units), when given. */
  rasterBands: ({ scale?: number; offset?: number } | null)[];
}

interface StacAsset {
  href: string;
  type?: string;
  roles?: string[];
  'eo:bands'?: { name?: string; common_name?: string }[];
  'raster:bands'?: { scale?: number; offset?: number }[];
}

/** True when `source` names a STAC item (a .json path or URL). */
export function isStacSource(source: string): boolean {
  return /\.json(\?.*)?$/i.test(source);
}

/** Reads and parses a STAC item from a path or URL. */
export async function loadStacItem(source: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  let text: string;
  if (isUrl(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal });
    } catch (err) {
      if (signal?.aborted) throw abortError();
      throw new AppError('NETWORK', `${source}: cannot fetch STAC item (${(err as Error).message})`);
    }
    if (!res.ok) throw new AppError('NETWORK', `${source}: HTTP ${res.status} fetching STAC item`);
    text = await res.text();
  } else {
    try {
      text = fs.readFileSync(source, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', `${path.basename(source)}: file not found (${source})`);
    }
  }
  try {
    const item = JSON.parse(text) as Record<string, unknown>;
    if (item.type !== 'Feature' || typeof item.assets !== 'object') throw new Error('not a STAC Item');
    return item;
  } catch (err) {
    throw new AppError(
      'INVALID_INPUT',
      `${path.basename(source)}: not a STAC item (${(err as Error).message})`,
    );
  }
}

function resolveHref(href: string, itemSource: string): string {
  if (isUrl(href) || href.startsWith('file://')) return href;
  if (isUrl(itemSource)) return new URL(href, itemSource).toString();
  return path.resolve(path.dirname(itemSource), href);
}

function readable(a: StacAsset): boolean {
  return !/^s3:\/\//.test(a.href) && !/jp2/.test(a.type ?? '') && !/\.jp2$/i.test(a.href);
}

function assetBandNames(key: string, a: StacAsset): BandName[] {
  const eo = a['eo:bands'] ?? [];
  if (eo.length)
    return eo.map((b, i) => canonicalBandName(b.common_name ?? b.name ?? '') ?? b.name ?? `b${i + 1}`);
  return [canonicalBandName(key) ?? key];
}

/**
 * Picks the raster assets of a STAC item: single-band B,G,R,NIR assets (by eo:bands common
 * names, then asset keys like B02/red/nir) when present, otherwise one multi-band asset that holds
 * R,G,B (NAIP's `image`, Sentinel-2's `visual`). JPEG 2000 and s3:// assets are skipped.
 */
export function selectStacAssets(item: Record<string, unknown>, itemSource: string): StacSelection {
  const assets = Object.entries((item.assets ?? {}) as Record<string, StacAsset>).filter(
    ([, a]) => typeof a?.href === 'string' && readable(a) && !(a.roles ?? []).includes('thumbnail'),
  );
  const props = (item.properties ?? {}) as Record<string, unknown>;
  const picked: { key: string; a: StacAsset; names: BandName[] }[] = [];
  for (const want of ['B', 'G', 'R', 'NIR']) {
    const hit = assets.find(([k, a]) => {
      const names = assetBandNames(k, a);
      return names.length === 1 && names[0] === want && !/visual/.test(k);
    });
    if (hit) picked.push({ key: hit[0], a: hit[1], names: [want] });
  }
  const rgbComplete = ['R', 'G', 'B'].every((n) => picked.some((p) => p.names[0] === n));
  if (!rgbComplete) {
    picked.length = 0;
    const multi = assets.find(([k, a]) => {
      const names = assetBandNames(k, a);
      return names.includes('R') && names.includes('G') && names.includes('B');
    });
    if (!multi) {
      throw new AppError(
        'INVALID_INPUT',
        `${path.basename(itemSource)}: STAC item has no readable red/green/blue assets (looked at eo:bands and keys B02–B08, red, green, blue, nir)`,
      );
    }
    picked.push({ key: multi[0], a: multi[1], names: assetBandNames(multi[0], multi[1]) });
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: str(item.id) ?? path.basename(itemSource),
    hrefs: picked.map((p) => resolveHref(p.a.href, itemSource)),
    bandNames: picked.map((p) => p.names),
    datetime: str(props.datetime) ?? str(props.start_datetime),
    constellation: str(props.constellation) ?? str(props.platform) ?? str(item.collection),
    processingBaseline: str(props['s2:processing_baseline']) ?? str(props['processing:version']),
    rasterBands: picked.map((p) => p.a['raster:bands']?.[0] ?? null),
  };
}
