import { useState } from 'react';
import { useClient } from '../api/client-context';
import { JobStatus } from './job-status';
import type { PackSummary, PacksApi } from './packs-api';
import { usePackJob } from './use-pack-job';

/** Import from a folder on this machine: a typed path, or the native picker in the desktop app. */
export function ImportFolderForm({ api, replace, onInstalled }: { api: PacksApi; replace: boolean; onInstalled(p: PackSummary): void }) {
  const client = useClient();
  const job = usePackJob(api, onInstalled);
  const [path, setPath] = useState('');
  // Only the desktop host has a picker; the web host answers UNSUPPORTED, and then the button goes.
  const [canBrowse, setCanBrowse] = useState(client.transport.kind === 'ipc');
  const [error, setError] = useState<string | null>(null);
  const busy = job.state.kind === 'starting' || job.state.kind === 'running';

  const browse = async () => {
    try {
      const paths = await api.pickPackFolder();
      if (paths === null) setCanBrowse(false);
      else if (paths[0]) setPath(paths[0]);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form
      className="pack-form"
      onSubmit={(e) => {
        e.preventDefault();
        const p = path.trim();
        if (!p) return setError('Type the path of a pack folder (the folder that holds manifest.json)');
        setError(null);
        void job.start(p, replace);
      }}
    >
      <label className="field-label" htmlFor="pack-folder">
        Pack folder
      </label>
      <div className="row">
        <input
          id="pack-folder"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/path/to/my-pack (holds manifest.json)"
          data-testid="pack-folder-input"
          spellCheck={false}
        />
        {canBrowse && (
          <button type="button" onClick={() => void browse()} data-testid="pack-browse">
            Browse…
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="pack-import">
          Import
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <JobStatus state={job.state} testId="import-job" onCancel={job.cancel} onResume={() => void job.start(path.trim(), replace)} onDismiss={job.reset} />
    </form>
  );
}

/** Download from a URL: a pack folder URL or its manifest.json; resumable, sha256-checked. */
export function DownloadPackForm({ api, replace, onInstalled }: { api: PacksApi; replace: boolean; onInstalled(p: PackSummary): void }) {
  const job = usePackJob(api, onInstalled);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const busy = job.state.kind === 'starting' || job.state.kind === 'running';
  const again = 'source' in job.state ? job.state.source : url.trim();

  return (
    <form
      className="pack-form"
      onSubmit={(e) => {
        e.preventDefault();
        const u = url.trim();
        if (!/^https?:\/\/\S+$/i.test(u)) return setError('A pack URL starts with http:// or https://, e.g. https://example.org/packs/my-pack/');
        setError(null);
        void job.start(u, replace);
      }}
    >
      <label className="field-label" htmlFor="pack-url">
        Pack URL
      </label>
      <div className="row">
        <input
          id="pack-url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://…/my-pack/ or …/manifest.json"
          data-testid="pack-url-input"
          spellCheck={false}
        />
        <button type="submit" className="primary" disabled={busy} data-testid="pack-download">
          Download
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <JobStatus state={job.state} testId="download-job" onCancel={job.cancel} onResume={() => void job.start(again, replace)} onDismiss={job.reset} />
    </form>
  );
}
