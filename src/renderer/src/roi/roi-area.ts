import { area } from '@turf/turf';
import type { RoiGeometry } from '../../../shared/contract/search';

/** Geodesic area of an ROI in m² (turf: spherical Earth, WGS84 mean radius). */
export function roiAreaM2(geometry: RoiGeometry): number {
  return area({ type: 'Feature', properties: {}, geometry } as Parameters<typeof area>[0]);
}

/** "1.24 km² (124.0 ha)", or "0.52 ha" below a hectare's worth of km² precision. */
export function formatArea(m2: number): string {
  if (m2 >= 1e6) return `${(m2 / 1e6).toFixed(2)} km² (${(m2 / 1e4).toFixed(1)} ha)`;
  if (m2 >= 1e4) return `${(m2 / 1e4).toFixed(2)} ha (${(m2 / 1e6).toFixed(3)} km²)`;
  return `${(m2 / 1e4).toFixed(3)} ha (${Math.round(m2)} m²)`;
}
