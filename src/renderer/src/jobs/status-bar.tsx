import { useClient } from '../api/client-context';
import { useJobs } from './use-jobs';
import { formatEta } from './job-rate';

export interface Cursor {
  lon: number;
  lat: number;
  zoom: number;
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
}

/** Bottom bar: pointer coordinates and zoom, then every job with its progress and a cancel button. */
export function StatusBar({ cursor, message }: { cursor: Cursor | null; message: string | null }) {
  const client = useClient();
  const jobs = useJobs();
  return (
    <footer className="status-bar" aria-label="Status">
      <span className="coords" data-testid="coords">
        {cursor
          ? `${cursor.lat.toFixed(5)}°, ${cursor.lon.toFixed(5)}°  z${cursor.zoom.toFixed(1)}`
          : 'Move the pointer over the map'}
      </span>
      {message && <span className="status-message">{message}</span>}
      <span className="jobs">
        {jobs.map((j) => (
          <span key={j.jobId} className={`job job-${j.state}`} data-testid="job" data-state={j.state}>
            <span className="job-label" title={j.label}>
              {j.label}
            </span>
            <progress max={100} value={percent(j.done, j.total)} aria-label={`${j.label} progress`} />
            <span className="job-pct" data-testid="job-pct">
              {j.state === 'running'
                ? `${percent(j.done, j.total)}%`
                : j.state === 'done'
                  ? '100% done'
                  : j.state}
            </span>
            {j.state === 'running' && j.eta && <span className="job-eta">{formatEta(j.eta.etaS)}</span>}
            {j.state === 'running' && (
              <button
                className="job-cancel"
                title="Cancel this job"
                onClick={() => void client.request('jobs.cancel', { jobId: j.jobId })}
              >
                Cancel
              </button>
            )}
          </span>
        ))}
      </span>
    </footer>
  );
}
