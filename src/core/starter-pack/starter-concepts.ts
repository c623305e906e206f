import { EMBED_DIMS } from './starter-features';

type Dim = (typeof EMBED_DIMS)[number];

export interface StarterConcept {
  name: string;
  /** Words and phrases (lower case) that select this concept. */
  synonyms: string[];
  /** Why the direction is what it is, for the README and the UI. */
  why: string;
  /** Direction in embedding space, by dim name (unlisted dims are 0); normalised when written. */
  direction: Partial<Record<Dim, number>>;
}

/**
 * The starter vocabulary: each concept is a direction in the starter embedding space that a
 * remote-sensing analyst would sign off on. Scores are dot products with these unit vectors.
 */
export const STARTER_CONCEPTS: StarterConcept[] = [
  {
    name: 'water',
    synonyms: [
      'water',
      'pond',
      'ponds',
      'lake',
      'lakes',
      'river',
      'rivers',
      'reservoir',
      'reservoirs',
      'open water',
      'stream',
    ],
    why: 'high NDWI, low NIR (water absorbs NIR), smooth, darkish, no vegetation',
    direction: {
      ndwi: 1,
      nir: -0.6,
      water_cover: 1,
      texture: -0.5,
      brightness: -0.3,
      ndvi: -0.5,
      veg_cover: -0.5,
    },
  },
  {
    name: 'wetland',
    synonyms: ['wetland', 'wetlands', 'marsh', 'marshes', 'swamp'],
    why: 'a mix of open water and vegetation: moderate NDWI and NDVI, dark, smooth',
    direction: {
      ndwi: 0.5,
      water_cover: 0.6,
      ndvi: 0.3,
      veg_cover: 0.3,
      dark_cover: 0.3,
      texture: -0.3,
      brightness: -0.3,
    },
  },
  {
    name: 'vegetation',
    synonyms: ['vegetation', 'vegetated', 'plants', 'greenery', 'green'],
    why: 'high NDVI, high NIR relative to visible, most pixels vegetated',
    direction: { ndvi: 1, nir: 0.7, veg_cover: 1, greenness: 0.3, ndwi: -0.5 },
  },
  {
    name: 'trees',
    synonyms: ['trees', 'tree', 'forest', 'forests', 'woods', 'woodland', 'canopy', 'orchard'],
    why: 'vegetated (high NDVI) but rough and dark: crowns cast shadows between them',
    direction: { ndvi: 0.8, veg_cover: 0.8, nir: 0.5, texture: 0.7, brightness: -0.5, dark_cover: 0.3 },
  },
  {
    name: 'grass',
    synonyms: [
      'grass',
      'grassland',
      'lawn',
      'lawns',
      'crops',
      'crop',
      'cropland',
      'field',
      'fields',
      'pasture',
      'meadow',
      'farmland',
    ],
    why: 'vegetated (high NDVI, high NIR) and smooth, brighter than trees',
    direction: { ndvi: 0.8, veg_cover: 0.8, nir: 0.6, texture: -0.6, brightness: 0.2, greenness: 0.3 },
  },
  {
    name: 'bare soil',
    synonyms: ['bare soil', 'soil', 'bare ground', 'dirt', 'fallow', 'bare'],
    why: 'little vegetation, reddish-brown (red > blue), fairly bright and smooth',
    direction: {
      ndvi: -0.3,
      veg_cover: -0.8,
      redness: 0.6,
      blueness: -0.5,
      brightness: 0.4,
      texture: -0.3,
      water_cover: -0.5,
    },
  },
  {
    name: 'sand',
    synonyms: ['sand', 'sandy', 'beach', 'beaches', 'dunes', 'desert'],
    why: 'no vegetation, very bright, warm colour, smooth',
    direction: {
      ndvi: -0.3,
      veg_cover: -0.8,
      brightness: 0.9,
      bright_cover: 0.4,
      redness: 0.4,
      blueness: -0.4,
      texture: -0.4,
      water_cover: -0.5,
    },
  },
  {
    name: 'buildings',
    synonyms: [
      'buildings',
      'building',
      'roofs',
      'roof',
      'rooftops',
      'built-up',
      'built up',
      'urban',
      'houses',
      'house',
      'settlement',
    ],
    why: 'not vegetated, rough (edges, roof facets, shadows), mixed bright and dark pixels',
    direction: {
      texture: 1,
      ndvi: -0.6,
      veg_cover: -0.6,
      bright_cover: 0.3,
      dark_cover: 0.2,
      water_cover: -0.3,
      nir: -0.3,
    },
  },
  {
    name: 'roads',
    synonyms: [
      'roads',
      'road',
      'pavement',
      'paved',
      'asphalt',
      'highway',
      'highways',
      'parking lot',
      'parking lots',
      'streets',
      'street',
    ],
    why: 'not vegetated, grey (slightly blue), low NIR, medium brightness, fairly smooth',
    direction: {
      ndvi: -0.7,
      veg_cover: -0.7,
      nir: -0.4,
      blueness: 0.3,
      redness: -0.1,
      texture: 0.1,
      water_cover: -0.4,
      ndwi: 0.1,
    },
  },
  {
    name: 'shadow',
    synonyms: ['shadow', 'shadows', 'shade', 'shaded'],
    why: 'very dark in every band, most pixels dark',
    direction: { brightness: -1, dark_cover: 1, texture: -0.2, nir: -0.2 },
  },
  {
    name: 'cloud',
    synonyms: ['cloud', 'clouds', 'cloudy', 'haze'],
    why: 'very bright and white in all bands including NIR, smooth, no vegetation',
    direction: { brightness: 1, bright_cover: 1, texture: -0.5, ndvi: -0.3, veg_cover: -0.3, ndwi: -0.1 },
  },
  {
    name: 'snow',
    synonyms: ['snow', 'snowy', 'ice', 'glacier'],
    why: 'very bright, slightly blue, NIR a little lower than visible (so NDWI > 0), smooth',
    direction: { brightness: 1, bright_cover: 1, blueness: 0.4, ndwi: 0.4, texture: -0.5, ndvi: -0.3 },
  },
];

/** Words ignored between concept words ("water and trees", "areas of bare soil"). */
export const STARTER_STOPWORDS = [
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'with',
  'in',
  'on',
  'at',
  'near',
  'by',
  'some',
  'area',
  'areas',
  'region',
  'regions',
  'covered',
  'land',
  'cover',
  'surface',
  'surfaces',
  'patch',
  'patches',
  'show',
  'find',
  'me',
  'all',
];

/** The unit vector of a concept in EMBED_DIMS order. */
export function conceptVector(c: StarterConcept): number[] {
  const v = EMBED_DIMS.map((d) => c.direction[d] ?? 0);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
