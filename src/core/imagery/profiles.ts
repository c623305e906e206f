/** Sensor profiles: how DNs become physical units, which bands are which, how to stretch. */
export const PROFILE_IDS = ['naip', 'sentinel2-l2a', 'rgb'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** Canonical band names the renderers and models ask for. */
export type BandName = 'R' | 'G' | 'B' | 'NIR' | string;

export interface SensorProfile {
  id: ProfileId;
  label: string;
  /** Band names for a file with N samples, in file order (null: name them b1..bN). */
  bandsForCount(n: number): BandName[] | null;
  /** Percentile stretch (2–98) or the fixed 0–255 display range of 8-bit visual products. */
  stretch: 'percentile' | 'identity8';
}

export const PROFILES: Record<ProfileId, SensorProfile> = {
  naip: {
    id: 'naip',
    label: 'NAIP (uint8 R,G,B,NIR digital numbers)',
    bandsForCount: (n) => (n === 4 ? ['R', 'G', 'B', 'NIR'] : n === 3 ? ['R', 'G', 'B'] : null),
    stretch: 'percentile',
  },
  'sentinel2-l2a': {
    id: 'sentinel2-l2a',
    label: 'Sentinel-2 L2A (surface reflectance, DN × 1e-4, BOA_ADD_OFFSET from baseline 04.00)',
    bandsForCount: (n) => (n === 4 ? ['B', 'G', 'R', 'NIR'] : n === 3 ? ['R', 'G', 'B'] : null),
    stretch: 'percentile',
  },
  rgb: {
    id: 'rgb',
    label: 'Generic RGB',
    bandsForCount: (n) => (n === 3 || n === 4 ? ['R', 'G', 'B', 'NIR'].slice(0, n) : null),
    stretch: 'percentile',
  },
};

/** Sentinel-2 band ids in file names (B02…) and STAC common names to canonical names. */
const BAND_ALIASES: Record<string, BandName> = {
  b02: 'B',
  b03: 'G',
  b04: 'R',
  b08: 'NIR',
  blue: 'B',
  green: 'G',
  red: 'R',
  nir: 'NIR',
};

/** Canonical name for a band id or common name ('B04' → 'R', 'nir' → 'NIR'), or null. */
export function canonicalBandName(token: string): BandName | null {
  return BAND_ALIASES[token.toLowerCase()] ?? null;
}

/** The band a single-band file holds, from a `_B04`/`-B08`/`_red` token in its name. */
export function bandFromFileName(file: string): BandName | null {
  const base = file.split(/[\\/]/).pop() ?? file;
  const m = /(?:^|[_.-])(B0[2348]|red|green|blue|nir)(?=[_.-]|$)/i.exec(base.replace(/\.[^.]+$/, ''));
  return m ? canonicalBandName(m[1]) : null;
}

/** Guess the profile from what is known without pixels: names, data type, band count, STAC. */
export function detectProfile(input: {
  names: string[];
  dataType: string;
  bandCount: number;
  stacConstellation?: string | null;
}): ProfileId {
  const text = `${input.names.join(' ')} ${input.stacConstellation ?? ''}`.toLowerCase();
  if (/sentinel-?2|(^|[^a-z])s2[ab_]|_l2a/.test(text) && input.dataType !== 'uint8') return 'sentinel2-l2a';
  if (/naip|(^|[/_])m_\d{7}_/.test(text)) return 'naip';
  if (input.bandCount === 4 && input.dataType === 'uint8') return 'naip';
  return 'rgb';
}

/** Sentinel-2 processing baselines from 04.00 add BOA_ADD_OFFSET = -1000 to every L2A DN. */
export function s2BaselineOffset(baseline: string | null | undefined): number {
  if (!baseline) return 0;
  const v = Number.parseFloat(baseline.replace(/^N/, '').replace(/^(\d\d)(\d\d)$/, '$1.$2'));
  return Number.isFinite(v) && v >= 4 ? -1000 : 0;
}

/** Processing baseline from a product name (`_N0400_`, `_N05.09_`), or null. */
export function baselineFromName(name: string): string | null {
  const m = /_N(\d{2})\.?(\d{2})(?=[_.])/.exec(name);
  return m ? `${m[1]}.${m[2]}` : null;
}
