import { describe, expect, it } from 'vitest';
import { formatArea, roiAreaM2 } from './roi-area';

describe('roiAreaM2', () => {
  it('measures a 0.01° square at the equator as ~1.236 km² (R = 6371008.8 m)', () => {
    const d = 0.01;
    const g = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [d, 0],
          [d, d],
          [0, d],
          [0, 0],
        ],
      ],
    };
    // Spherical cap formula for a lat/lon box: R² · Δλ · (sin φ2 − sin φ1).
    const R = 6371008.8;
    const ref = R * R * ((d * Math.PI) / 180) * Math.sin((d * Math.PI) / 180);
    expect(roiAreaM2(g)).toBeCloseTo(ref, -1);
  });
  it('formats km² with hectares and small areas in ha', () => {
    expect(formatArea(2_500_000)).toBe('2.50 km² (250.0 ha)');
    expect(formatArea(52_000)).toBe('5.20 ha (0.052 km²)');
  });
});
