import type { FeatureCollection, LineString } from 'geojson';

/** Meridians and parallels every `step` degrees, as GeoJSON lines (no basemap needed offline). */
export function graticule(step: number): FeatureCollection<LineString> {
  const features: FeatureCollection<LineString>['features'] = [];
  for (let lon = -180; lon <= 180; lon += step) {
    const coords: [number, number][] = [];
    for (let lat = -85; lat <= 85; lat += Math.min(step, 5)) coords.push([lon, lat]);
    features.push({
      type: 'Feature',
      properties: { kind: 'meridian', value: lon },
      geometry: { type: 'LineString', coordinates: coords },
    });
  }
  for (let lat = -80; lat <= 80; lat += step) {
    const coords: [number, number][] = [];
    for (let lon = -180; lon <= 180; lon += Math.min(step, 5)) coords.push([lon, lat]);
    features.push({
      type: 'Feature',
      properties: { kind: 'parallel', value: lat },
      geometry: { type: 'LineString', coordinates: coords },
    });
  }
  return { type: 'FeatureCollection', features };
}
