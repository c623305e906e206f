import { useEffect, useRef, useState } from 'react';
import type { JobInfo } from '../../../shared/contract/core';
import { useClient } from '../api/client-context';
import { callApi } from './search-api';
import { rateAndEta, type ProgressSample } from '../jobs/job-rate';
import { useLatest } from './use-latest';

export interface JobView {
  jobId: string;
  phase: string;
  done: number;
  total: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  rate: { rate: number; etaS: number } | null;
  /** The finished job (result or error), once it ends. */
  info: JobInfo | null;
}

/**
 * Follows one job by id through progress and finished events (and one jobs.get, so a job that
 * finished before the listener was attached is not missed). `onFinished` fires once.
 */
export function useJob(jobId: string | null, onFinished?: (info: JobInfo) => void): JobView | null {
  const client = useClient();
  const [view, setView] = useState<JobView | null>(null);
  const first = useRef<ProgressSample | null>(null);
  const cb = useLatest(onFinished);

  useEffect(() => {
    setView(null);
    first.current = null;
    if (!jobId) return;
    let ended = false;
    const finish = (info: JobInfo) => {
      if (ended) return;
      ended = true;
      setView((v) => ({
        jobId,
        phase: info.phase,
        done: info.done,
        total: info.total,
        state: info.state,
        rate: v?.rate ?? null,
        info,
      }));
      cb.current?.(info);
    };
    const offP = client.on('job.progress', (p) => {
      if (p.jobId !== jobId || ended) return;
      const now = Date.now();
      // The first sample after work started anchors the rate (the 0-sample is queue time).
      if (!first.current || (first.current.done === 0 && p.done > 0))
        first.current = { done: p.done, at: now };
      const rate = rateAndEta(first.current, { done: p.done, at: now }, p.total);
      setView({ jobId, phase: p.phase, done: p.done, total: p.total, state: p.state, rate, info: null });
      // The last progress event says the job ended; its result/error come from jobs.get.
      if (p.state !== 'running') callApi(client, 'jobs.get', { jobId }).then(finish, () => undefined);
    });
    const offF = client.on('job.finished', (info) => {
      if (info.jobId === jobId) finish(info);
    });
    callApi(client, 'jobs.get', { jobId }).then(
      (info) => {
        if (info.state !== 'running') finish(info);
      },
      () => undefined,
    );
    return () => {
      offP();
      offF();
    };
  }, [client, jobId, cb]);
  return view;
}

export const percentOf = (done: number, total: number) =>
  total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
