import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobInfo, JobProgress } from '../../../shared/contract/core';
import { useClient } from '../api/client-context';
import type { PackSummary, PacksApi } from './packs-api';

export type PackJobState =
  | { kind: 'idle' }
  | { kind: 'starting'; source: string }
  | { kind: 'running'; source: string; jobId: string; phase: string; done: number; total: number }
  | { kind: 'done'; source: string; pack: PackSummary }
  | { kind: 'failed'; source: string; message: string; code: string }
  | { kind: 'cancelled'; source: string; jobId: string };

/**
 * One packs.import job at a time: starts it, follows its job.progress / job.finished events
 * (seeded from jobs.get, since events can arrive before the request answers) and cancels it.
 */
export function usePackJob(api: PacksApi, onInstalled: (p: PackSummary) => void) {
  const client = useClient();
  const [state, setState] = useState<PackJobState>({ kind: 'idle' });
  const jobRef = useRef<{ jobId: string; source: string } | null>(null);
  const installedRef = useRef(onInstalled);
  useEffect(() => {
    installedRef.current = onInstalled;
  }, [onInstalled]);

  const apply = useCallback((p: JobProgress | JobInfo) => {
    const cur = jobRef.current;
    if (!cur || p.jobId !== cur.jobId) return;
    const { source, jobId } = cur;
    if (p.state === 'running') setState({ kind: 'running', source, jobId, phase: p.phase, done: p.done, total: p.total });
    else if (p.state === 'cancelled') setState({ kind: 'cancelled', source, jobId });
    else if ('finishedAt' in p) {
      // Terminal states other than cancelled carry the result or error only in JobInfo.
      jobRef.current = null;
      if (p.state === 'done') {
        const pack = p.result as PackSummary;
        setState({ kind: 'done', source, pack });
        installedRef.current(pack);
      } else setState({ kind: 'failed', source, message: p.error?.message ?? 'import failed', code: p.error?.code ?? 'FAILED' });
    }
  }, []);

  useEffect(() => {
    const offP = client.on('job.progress', apply);
    const offF = client.on('job.finished', apply);
    return () => {
      offP();
      offF();
    };
  }, [client, apply]);

  const start = useCallback(
    async (source: string, replace: boolean) => {
      setState({ kind: 'starting', source });
      try {
        const { jobId } = await api.importPack(source, replace);
        jobRef.current = { jobId, source };
        setState({ kind: 'running', source, jobId, phase: 'starting', done: 0, total: 0 });
        apply(await client.request('jobs.get', { jobId }));
      } catch (e) {
        jobRef.current = null;
        setState({ kind: 'failed', source, message: (e as Error).message, code: (e as { code?: string }).code ?? 'FAILED' });
      }
    },
    [api, apply, client],
  );

  const cancel = useCallback(() => {
    if (state.kind === 'running') void client.request('jobs.cancel', { jobId: state.jobId });
  }, [client, state]);

  const reset = useCallback(() => {
    jobRef.current = null;
    setState({ kind: 'idle' });
  }, []);

  return { state, start, cancel, reset };
}
