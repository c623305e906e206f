import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../shared/contract/core';
import { useClient } from '../api/client-context';

/** Live list of jobs from progress events, newest first; finished ones linger a while. */
export function useJobs(): JobProgress[] {
  const client = useClient();
  const [jobs, setJobs] = useState<Map<string, JobProgress>>(new Map());
  useEffect(() => {
    const off = client.on('job.progress', (p) => {
      setJobs((prev) => {
        const next = new Map(prev);
        next.set(p.jobId, p);
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
