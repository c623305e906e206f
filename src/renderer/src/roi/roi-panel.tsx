import { useState, type ReactNode } from 'react';
import type { QueryResult } from '../search/search-api';
import { formatArea, roiAreaM2 } from './roi-area';
import type { RoiState } from './use-rois';

/**
 * ROIs: draw (rectangle, polygon), import GeoJSON (pasted or from a file), edit, delete; and the
 * current query's counts per ROI (query, count, total area, threshold). Children (the selected
 * ROI's tools) go under the list.
 */
export function RoiPanel({
  rois,
  result,
  running,
  children,
}: {
  rois: RoiState;
  result: QueryResult | null;
  running: boolean;
  children?: ReactNode;
}) {
  const [paste, setPaste] = useState('');
  const [imported, setImported] = useState<string | null>(null);
  const r = rois;

  const doImport = async (text: string, name?: string) => {
    const n = await r.importGeoJson(text, name);
    setImported(n ? `Imported ${n} ROI${n === 1 ? '' : 's'}` : null);
    if (n) setPaste('');
  };

  return (
    <div className="roi-panel" data-testid="roi-panel">
      <h3>Draw</h3>
      <div className="row">
        <button
          aria-label="Draw a rectangle ROI"
          aria-pressed={r.tool === 'rectangle'}
          onClick={() => r.startDraw('rectangle')}
          data-testid="draw-rectangle"
        >
          ▭ Rectangle
        </button>
        <button
          aria-label="Draw a polygon ROI"
          aria-pressed={r.tool === 'polygon'}
          onClick={() => r.startDraw('polygon')}
          data-testid="draw-polygon"
        >
          ⬠ Polygon
        </button>
        {r.tool && (
          <button aria-label="Stop drawing" onClick={r.cancelDraw}>
            {r.tool === 'edit' ? 'Done' : 'Cancel'} (Esc)
          </button>
        )}
      </div>
      <p className="muted small" data-testid="draw-hint">
        {r.tool === 'rectangle'
          ? 'Click one corner, then the opposite corner.'
          : r.tool === 'polygon'
            ? 'Click the vertices; click the first one (or press Enter) to close.'
            : r.tool === 'edit'
              ? 'Drag vertices or the shape; each change re-counts.'
              : 'Select an ROI and press Delete to remove it.'}
      </p>
      {r.error && (
        <div className="error" role="alert" data-testid="roi-error">
          {r.error}
        </div>
      )}

      <h3>ROIs</h3>
      {r.rois.length === 0 ? (
        <p className="muted">No ROI yet.</p>
      ) : (
        <ul className="roi-list" aria-label="ROIs">
          {r.rois.map((roi) => (
            <li
              key={roi.id}
              className={roi.id === r.selectedId ? 'roi-item active' : 'roi-item'}
              data-testid="roi-item"
              data-roi-id={roi.id}
            >
              <button
                className="grow link"
                aria-pressed={roi.id === r.selectedId}
                onClick={() => r.select(roi.id === r.selectedId ? null : roi.id)}
              >
                <strong>{roi.name}</strong>{' '}
                <span className="muted small" data-testid="roi-area">
                  {formatArea(roiAreaM2(roi.geometry))}
                </span>
              </button>
              <button aria-label={`Edit ${roi.name}`} onClick={() => r.edit(roi.id)}>
                Edit
              </button>
              <button aria-label={`Delete ${roi.name}`} onClick={() => void r.remove(roi.id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}

      {children}

      <h3>Counts {running && <span className="muted small">(updating…)</span>}</h3>
      {!result ? (
        <p className="muted">Run a query to count its detections per ROI.</p>
      ) : result.counts.length === 0 ? (
        <p className="muted">No ROI to count in.</p>
      ) : (
        <table className="counts" aria-label="Counts per ROI" data-testid="roi-counts">
          <thead>
            <tr>
              <th>ROI</th>
              <th>Query</th>
              <th className="num">Count</th>
              <th className="num">Area</th>
              <th className="num">Thr.</th>
            </tr>
          </thead>
          <tbody>
            {result.counts.map((c) => (
              <tr key={c.roiId} data-testid="roi-count" data-roi-id={c.roiId} data-count={c.count}>
                <td>{c.name}</td>
                <td>{c.query}</td>
                <td className="num">{c.count}</td>
                <td className="num">
                  {c.areaM2 >= 1e6
                    ? `${(c.areaM2 / 1e6).toFixed(2)} km²`
                    : `${(c.areaM2 / 1e4).toFixed(2)} ha`}
                </td>
                <td className="num">{c.threshold.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Import GeoJSON</h3>
      <textarea
        aria-label="GeoJSON to import as ROIs"
        placeholder="Paste a GeoJSON Feature / FeatureCollection of polygons (WGS84)"
        rows={3}
        value={paste}
        onChange={(e) => setPaste(e.target.value)}
      />
      <div className="row">
        <button
          disabled={!paste.trim()}
          onClick={() => void doImport(paste)}
          aria-label="Import pasted GeoJSON"
        >
          Import text
        </button>
        <label className="file-button">
          From file…
          <input
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            aria-label="Import a GeoJSON file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void f.text().then((t) => doImport(t, f.name.replace(/\.(geo)?json$/i, '')));
            }}
          />
        </label>
      </div>
      {imported && <p className="muted small">{imported}</p>}
    </div>
  );
}
