import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/contract/core';
import { useClient } from '../api/client-context';

/** Host, version and engine state, the engine self-test, and the optional basemap URL. */
export function DiagnosticsPanel({
  basemapUrl,
  onBasemapUrl,
}: {
  basemapUrl: string | null;
  onBasemapUrl(u: string | null): void;
}) {
  const client = useClient();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState(basemapUrl ?? '');

  const refresh = () => client.request('app.info', {}).then(setInfo, (e: Error) => setError(e.message));
  useEffect(() => {
    void refresh();
    return client.on('job.finished', () => void refresh());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  return (
    <div className="panel diagnostics">
      <h2>About this session</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {info && (
        <dl className="kv" data-testid="app-info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>Host</dt>
          <dd>
            {info.host === 'web' ? 'Local web server' : info.host === 'electron' ? 'Desktop app' : 'CLI'}
          </dd>
          <dt>Platform</dt>
          <dd>{info.platform}</dd>
          <dt>Engine</dt>
          <dd data-testid="engine-state">
            {info.engine.state}
            {info.engine.pid ? ` (pid ${info.engine.pid})` : ''}
            {info.engine.restarts ? `, restarted ${info.engine.restarts}×` : ''}
          </dd>
        </dl>
      )}
      <h2>Engine self-test</h2>
      <p className="hint">
        Runs a short job inside the inference process, with progress and cancel, to check it is healthy.
      </p>
      <button
        data-testid="self-test"
        onClick={() =>
          client
            .request('engine.selfTest', { steps: 40, stepMs: 50 })
            .catch((e: Error) => setError(e.message))
        }
      >
        Run self-test
      </button>
      <h2>Basemap</h2>
      <p className="hint">Offline by default. Optionally an XYZ tile URL, e.g. your own tile server.</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const v = draft.trim();
          if (v && !/^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(v)) {
            setError('A basemap URL needs http(s) and {z}, {x}, {y} placeholders');
            return;
          }
          setError(null);
          onBasemapUrl(v || null);
        }}
      >
        <input
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="https://…/{z}/{x}/{y}.png"
          aria-label="Basemap XYZ URL"
        />
        <button type="submit">Apply</button>
      </form>
    </div>
  );
}
