import { formatBytes, percent } from './format';
import type { PackJobState } from './use-pack-job';

const PHASES: Record<string, string> = {
  starting: 'Starting',
  download: 'Downloading',
  copy: 'Copying',
  hash: 'Checking sha256',
  graphs: 'Checking ONNX graphs',
};
const phaseLabel = (p: string) => PHASES[p] ?? p.charAt(0).toUpperCase() + p.slice(1);

/**
 * Progress of an import/download job inside the panel (the status bar shows the same job):
 * bar, phase, bytes for byte phases, and Cancel / Resume / Dismiss as fits the state.
 */
export function JobStatus({
  state,
  testId,
  onCancel,
  onResume,
  onDismiss,
}: {
  state: PackJobState;
  testId: string;
  onCancel(): void;
  onResume?(): void;
  onDismiss(): void;
}) {
  if (state.kind === 'idle') return null;
  if (state.kind === 'starting') return <p className="pack-job muted" data-testid={testId} data-state="starting">Starting…</p>;
  if (state.kind === 'running') {
    const pct = percent(state.done, state.total);
    const bytes = (state.phase === 'download' || state.phase === 'hash') && state.total > 0 ? ` — ${formatBytes(state.done)} of ${formatBytes(state.total)}` : '';
    return (
      <div className="pack-job" data-testid={testId} data-state="running">
        <div className="pack-job-line">
          <progress max={100} value={pct} aria-label={`${phaseLabel(state.phase)} progress`} data-testid={`${testId}-bar`} />
          <span className="pack-job-pct">{pct}%</span>
          <button type="button" className="job-cancel" onClick={onCancel} data-testid={`${testId}-cancel`}>
            Cancel
          </button>
        </div>
        <span className="muted" data-testid={`${testId}-text`}>
          {phaseLabel(state.phase)}
          {bytes}
        </span>
      </div>
    );
  }
  if (state.kind === 'done') {
    return (
      <p className="pack-job pack-job-done" data-testid={testId} data-state="done">
        Installed <strong>{state.pack.name}</strong> <span className="mono">({state.pack.id})</span>.{' '}
        <button type="button" className="link-btn" onClick={onDismiss}>
          OK
        </button>
      </p>
    );
  }
  const failed = state.kind === 'failed';
  return (
    <div className={failed ? 'pack-job error' : 'pack-job notice'} data-testid={testId} data-state={state.kind} role={failed ? 'alert' : undefined}>
      <span className="pack-job-message">{failed ? state.message : 'Cancelled. Files already downloaded are kept, so the download can resume.'}</span>
      <span className="pack-job-line">
        {onResume && (
          <button type="button" onClick={onResume} data-testid={`${testId}-resume`}>
            {failed ? 'Retry' : 'Resume'}
          </button>
        )}
        <button type="button" className="link-btn" onClick={onDismiss}>
          Dismiss
        </button>
      </span>
    </div>
  );
}
