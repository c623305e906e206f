/**
 * The concepts the starter pack understands (src/core/starter-pack/starter-concepts.ts, which the
 * renderer may not import); tests/e2e/models.test.ts checks this list against that file.
 */
export const STARTER_VOCABULARY: { name: string; examples: string }[] = [
  { name: 'water', examples: 'pond, lake, river, reservoir' },
  { name: 'wetland', examples: 'marsh, swamp' },
  { name: 'vegetation', examples: 'plants, greenery' },
  { name: 'trees', examples: 'forest, woods, orchard' },
  { name: 'grass', examples: 'lawn, cropland, field, pasture' },
  { name: 'bare soil', examples: 'dirt, fallow' },
  { name: 'sand', examples: 'beach, dunes, desert' },
  { name: 'buildings', examples: 'roofs, urban, houses' },
  { name: 'roads', examples: 'pavement, asphalt, parking lot' },
  { name: 'shadow', examples: 'shade' },
  { name: 'cloud', examples: 'haze' },
  { name: 'snow', examples: 'ice, glacier' },
];
