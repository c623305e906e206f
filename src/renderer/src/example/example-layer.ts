import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { ensureOverlaysMarker } from '../imagery/map-imagery-sync';

export const EXAMPLE_SOURCE = 'example-patches';
export const EXAMPLE_FILL = 'example-patches-fill';
export const EXAMPLE_LINE = 'example-patches-line';
export const EXAMPLE_CASING = 'example-patches-casing';
export const EXAMPLE_POINTS = 'example-patches-points';

/** Positive examples green, negatives red (the list's chips use the same colours). */
export const EXAMPLE_COLOURS = { 1: '#22c55e', 0: '#ef4444' } as const;

/** One example as drawn: its patch square when the grid is known, else a marker at the click. */
export interface ShownExample {
  n: number;
  lon: number;
  lat: number;
  label: 0 | 1;
  ring: [number, number][] | null;
}

const colour = ['case', ['==', ['get', 'label'], 1], EXAMPLE_COLOURS[1], EXAMPLE_COLOURS[0]];

/** The clicked example patches on the map: outlined squares (patch footprints) or circles. */
export class ExampleLayer {
  constructor(private readonly map: MlMap) {
    ensureOverlaysMarker(map);
    if (!map.getSource(EXAMPLE_SOURCE))
      map.addSource(EXAMPLE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const square = ['==', ['geometry-type'], 'Polygon'];
    if (!map.getLayer(EXAMPLE_FILL))
      map.addLayer({
        id: EXAMPLE_FILL,
        type: 'fill',
        source: EXAMPLE_SOURCE,
        filter: square as never,
        paint: { 'fill-color': colour as never, 'fill-opacity': 0.35 },
      });
    // A white casing under the coloured outline keeps the square visible on any heatmap colour.
    if (!map.getLayer(EXAMPLE_CASING))
      map.addLayer({
        id: EXAMPLE_CASING,
        type: 'line',
        source: EXAMPLE_SOURCE,
        filter: square as never,
        paint: { 'line-color': '#ffffff', 'line-width': 6 },
      });
    if (!map.getLayer(EXAMPLE_LINE))
      map.addLayer({
        id: EXAMPLE_LINE,
        type: 'line',
        source: EXAMPLE_SOURCE,
        filter: square as never,
        paint: { 'line-color': colour as never, 'line-width': 3 },
      });
    if (!map.getLayer(EXAMPLE_POINTS))
      map.addLayer({
        id: EXAMPLE_POINTS,
        type: 'circle',
        source: EXAMPLE_SOURCE,
        filter: ['==', ['geometry-type'], 'Point'] as never,
        paint: {
          'circle-radius': 6,
          'circle-color': colour as never,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
  }

  set(examples: ShownExample[]): void {
    (this.map.getSource(EXAMPLE_SOURCE) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: examples.map((e) => ({
        type: 'Feature',
        properties: { n: e.n, label: e.label },
        geometry: e.ring
          ? { type: 'Polygon', coordinates: [e.ring] }
          : { type: 'Point', coordinates: [e.lon, e.lat] },
      })),
    });
    // Above the heatmap and detection outlines drawn after this layer was made.
    for (const id of [EXAMPLE_FILL, EXAMPLE_CASING, EXAMPLE_LINE, EXAMPLE_POINTS])
      if (this.map.getLayer(id)) this.map.moveLayer(id);
  }

  dispose(): void {
    try {
      for (const id of [EXAMPLE_POINTS, EXAMPLE_LINE, EXAMPLE_CASING, EXAMPLE_FILL])
        if (this.map.getLayer(id)) this.map.removeLayer(id);
      if (this.map.getSource(EXAMPLE_SOURCE)) this.map.removeSource(EXAMPLE_SOURCE);
    } catch {
      /* the map is already gone */
    }
  }
}
