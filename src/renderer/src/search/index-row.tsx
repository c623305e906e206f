import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { useClient } from '../api/client-context';
import { formatRate } from '../jobs/job-rate';
import { callApi, type IndexStatus } from './search-api';
import { percentOf, useJob } from './use-job';

export interface IndexRowProps {
  scene: SceneInfoJson;
  status: IndexStatus | undefined;
  jobId: string | undefined;
  packId: string;
  onIndex(force?: boolean): void;
  onFinished(): void;
}

/** One open scene: its index state for the chosen pack, an Index button, and the job's progress while it runs. */
export function IndexRow({ scene, status, jobId, packId, onIndex, onFinished }: IndexRowProps) {
  const client = useClient();
  const job = useJob(jobId ?? null, onFinished);
  const running = !!jobId && (!job || job.state === 'running');
  const state = running
    ? 'indexing'
    : status?.complete
      ? 'indexed'
      : status && status.chunksDone > 0
        ? 'partial'
        : 'not-indexed';
  return (
    <li className="index-row" data-testid="index-row" data-scene-id={scene.id} data-state={state}>
      <div className="row">
        <span className="grow ellipsis" title={scene.sources.join('\n')}>
          {scene.name}
        </span>
        {state === 'indexed' && (
          <span className="badge ok" title={`${status!.rows}×${status!.cols} patches with ${packId}`}>
            ✓ indexed
          </span>
        )}
        {state === 'partial' && (
          <span className="badge warn">
            {status!.chunksDone}/{status!.chunksTotal} chunks
          </span>
        )}
        {running ? (
          <button
            aria-label={`Cancel indexing ${scene.name}`}
            onClick={() => void callApi(client, 'jobs.cancel', { jobId: jobId! })}
          >
            Cancel
          </button>
        ) : (
          <button aria-label={`Index ${scene.name}`} disabled={!packId} onClick={() => onIndex()}>
            {state === 'indexed' ? 'Re-index' : state === 'partial' ? 'Resume' : 'Index'}
          </button>
        )}
      </div>
      {running && (
        <div className="index-progress" data-testid="index-progress">
          <progress
            max={100}
            value={job ? percentOf(job.done, job.total) : 0}
            aria-label={`Indexing ${scene.name}`}
          />
          <span className="muted small">
            {job
              ? `${percentOf(job.done, job.total)}% · ${job.done.toLocaleString()}/${job.total.toLocaleString()} patches`
              : 'starting…'}
            {job?.rate ? ` · ${formatRate(job.rate, 'patches')}` : ''}
          </span>
        </div>
      )}
      {job?.info?.state === 'failed' && (
        <div className="error" role="alert">
          Indexing failed: {job.info.error?.message}
          {job.info.error?.message.includes('forceGsd') && (
            <button aria-label={`Index ${scene.name} anyway`} onClick={() => onIndex(true)}>
              Index anyway (resample)
            </button>
          )}
        </div>
      )}
      {job?.info?.state === 'cancelled' && (
        <div className="muted small">Indexing cancelled; Resume continues from the last chunk written.</div>
      )}
    </li>
  );
}
