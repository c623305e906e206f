import { useEffect, useState } from 'react';
import { useClient } from '../api/client-context';
import { errorText } from '../search/error-text';
import { callApi } from '../search/search-api';

type Format = 'geojson' | 'gpkg' | 'csv';
const EXT: Record<Format, string> = { geojson: '.geojson', gpkg: '.gpkg', csv: '.csv' };

/** A file name from a query text: "center-pivot irrigation" → center-pivot-irrigation. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'objects'
  );
}

/** Writes segmented objects to a path on the host (export.run): GeoJSON, GeoPackage or a CSV of counts. */
export function ExportForm({
  queryId,
  projectDir,
  queryText,
}: {
  queryId: string | null;
  projectDir: string | null;
  queryText: string;
}) {
  const client = useClient();
  const [format, setFormat] = useState<Format>('geojson');
  const [path, setPath] = useState('');
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Suggest <project>/<query>.<ext> until the user types a path of their own.
  useEffect(() => {
    if (edited || !projectDir) return;
    setPath(`${projectDir.replace(/[\\/]+$/, '')}/${slug(queryText)}${EXT[format]}`);
  }, [projectDir, queryText, format, edited]);

  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await callApi(client, 'export.run', {
        format,
        path: path.trim(),
        ...(queryId ? { queryId } : {}),
      });
      setDone(`Wrote ${r.count} object${r.count === 1 ? '' : 's'} to ${r.path}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="export-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <div className="row">
        <select
          aria-label="Export format"
          value={format}
          onChange={(e) => setFormat(e.target.value as Format)}
          data-testid="export-format"
        >
          <option value="geojson">GeoJSON</option>
          <option value="gpkg">GeoPackage</option>
          <option value="csv">CSV (counts)</option>
        </select>
        <button type="submit" disabled={busy || !path.trim()} aria-label="Export" data-testid="export-run">
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      <input
        aria-label="Export path"
        placeholder="/path/to/objects.geojson"
        value={path}
        spellCheck={false}
        onChange={(e) => {
          setEdited(true);
          setPath(e.target.value);
        }}
        data-testid="export-path"
      />
      <p className="muted small">
        {queryId ? 'Objects of the segmented query.' : 'All segmented objects (clicks and detections).'}
      </p>
      {done && (
        <p className="ok small" data-testid="export-done">
          {done}
        </p>
      )}
      {error && (
        <div className="error" role="alert" data-testid="export-error">
          {error}
        </div>
      )}
    </form>
  );
}
