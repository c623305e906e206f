import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../shared/contract/core';
import { useClient } from '../api/client-context';
import { rateAndEta, type ProgressSample } from './job-rate';

/** A job as the status bar shows it: its last progress and, once it moves, rate and ETA. */
export interface LiveJob extends JobProgress {
  first: ProgressSample | null;
  eta: { rate: number; etaS: number } | null;
}

/** Live list of jobs from progress events, newest first; finished ones linger a while. */
export function useJobs(): LiveJob[] {
  const client = useClient();
  const [jobs, setJobs] = useState<Map<string, LiveJob>>(new Map());
  useEffect(() => {
    const off = client.on('job.progress', (p) => {
      setJobs((prev) => {
        const next = new Map(prev);
        const now = Date.now();
        const old = prev.get(p.jobId);
        // Rate is measured within one phase, from its first sample that has moved.
        const first =
          old && old.phase === p.phase && old.first
            ? old.first
            : p.done > 0
              ? { done: p.done, at: now }
              : null;
        next.set(p.jobId, { ...p, first, eta: rateAndEta(first, { done: p.done, at: now }, p.total) });
        // Keep the bar short: at most 5 finished jobs.
        const finished = [...next.values()].filter((j) => j.state !== 'running');
        for (const j of finished.slice(0, Math.max(0, finished.length - 5))) next.delete(j.jobId);
        return next;
      });
    });
    return off;
  }, [client]);
  return [...jobs.values()].reverse();
}
