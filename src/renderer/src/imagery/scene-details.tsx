import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { PROFILE_LABELS } from './render-labels';

function fmt(n: number, digits: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/** Metadata of one scene as the host reports it. */
export function SceneDetails({ scene }: { scene: SceneInfoJson }) {
  const [w, s, e, n] = scene.boundsWgs84;
  const [rx, ry] = scene.resolutionM;
  return (
    <section className="scene-details" aria-label={`Metadata of ${scene.name}`} data-testid="scene-details">
      <h2>Scene</h2>
      <dl className="kv">
        <dt>Name</dt>
        <dd data-testid="meta-name">{scene.name}</dd>
        <dt>Profile</dt>
        <dd data-testid="meta-profile">{PROFILE_LABELS[scene.profile]}</dd>
        <dt>CRS</dt>
        <dd data-testid="meta-crs" title={scene.crs.proj4}>
          {scene.crs.epsg !== null ? `EPSG:${scene.crs.epsg}` : 'custom (no EPSG code)'}
        </dd>
        <dt>Size</dt>
        <dd data-testid="meta-size">
          {scene.width} × {scene.height} px
        </dd>
        <dt>Bands</dt>
        <dd data-testid="meta-bands">
          {scene.bands.map((b, i) => (
            <span key={`${b.name}-${i}`} className="band-chip">
              {b.name} <span className="muted">{b.dataType}</span>
            </span>
          ))}
        </dd>
        <dt>Resolution</dt>
        <dd data-testid="meta-resolution">
          {rx === ry ? `${fmt(rx, 2)} m` : `${fmt(rx, 2)} × ${fmt(ry, 2)} m`}
        </dd>
        <dt>Bounds</dt>
        <dd data-testid="meta-bounds" className="mono">
          W {w.toFixed(5)}° S {s.toFixed(5)}°
          <br />E {e.toFixed(5)}° N {n.toFixed(5)}°
        </dd>
        <dt>Nodata</dt>
        <dd data-testid="meta-nodata">{scene.nodata ?? 'none'}</dd>
        <dt>Acquired</dt>
        <dd data-testid="meta-date">{scene.date ?? 'unknown'}</dd>
        <dt>Stretch</dt>
        <dd>
          {scene.stretch.method === 'identity8'
            ? '8-bit values as stored'
            : `${scene.stretch.percentiles[0]}–${scene.stretch.percentiles[1]} percentile`}
        </dd>
        <dt>Sources</dt>
        <dd data-testid="meta-sources">
          <ul className="source-list">
            {scene.sources.map((src) => (
              <li key={src} className="mono">
                {src}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </section>
  );
}
