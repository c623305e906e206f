import type { StyleSpecification } from 'maplibre-gl';
import { graticule } from './graticule';

/**
 * The offline base map: a plain background and a graticule (10° coarse, 1° from zoom 5,
 * 0.1° from zoom 9). A user-supplied XYZ URL is drawn underneath when given.
 */
export function baseStyle(xyzUrl: string | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {
      'graticule-10': { type: 'geojson', data: graticule(10) },
      'graticule-1': { type: 'geojson', data: graticule(1) },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },
      {
        id: 'graticule-10',
        type: 'line',
        source: 'graticule-10',
        paint: { 'line-color': '#9aa5b1', 'line-width': 1 },
      },
      {
        id: 'graticule-1',
        type: 'line',
        source: 'graticule-1',
        minzoom: 5,
        paint: { 'line-color': '#b8c1cc', 'line-width': 0.6, 'line-dasharray': [2, 2] },
      },
    ],
  };
  if (xyzUrl) {
    style.sources.basemap = { type: 'raster', tiles: [xyzUrl], tileSize: 256, attribution: 'User basemap' };
    style.layers.splice(1, 0, { id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}
