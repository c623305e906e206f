import { describe, expect, it } from 'vitest';
import { delay, throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { JobInfo, JobProgress } from '../../shared/contract/core';
import { JobRunner } from './job-runner';

function runner() {
  const progress: JobProgress[] = [];
  const finished: JobInfo[] = [];
  return {
    jobs: new JobRunner({ progress: (p) => progress.push(p), finished: (f) => finished.push(f) }),
    progress,
    finished,
  };
}

describe('JobRunner', () => {
  it('reports progress and ends done with the result', async () => {
    const { jobs, progress, finished } = runner();
    const info = jobs.start('t', 'Test', async (ctx) => {
      for (let i = 1; i <= 3; i++) ctx.progress('work', i, 3);
      return 42;
    });
    const end = await jobs.wait(info.jobId);
    expect(end).toMatchObject({ state: 'done', result: 42, done: 3, total: 3 });
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 3, total: 3 });
    expect(finished).toHaveLength(1);
  });

  it('sends the last throttled update even when the work then stalls', async () => {
    const { jobs, progress } = runner();
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const info = jobs.start('t', 'Download', async (ctx) => {
      ctx.progress('bytes', 1, 100);
      ctx.progress('bytes', 50, 100); // within the throttle window of the first
      await stalled;
    });
    await delay(300);
    expect(progress.filter((p) => p.jobId === info.jobId).at(-1)).toMatchObject({
      done: 50,
      state: 'running',
    });
    release();
    await jobs.wait(info.jobId);
  });

  it('cancels through the AbortSignal', async () => {
    const { jobs } = runner();
    const info = jobs.start('t', 'Slow', async (ctx) => {
      for (;;) {
        throwIfAborted(ctx.signal);
        await delay(5, ctx.signal);
      }
    });
    expect(jobs.cancel(info.jobId)).toBe(true);
    expect(await jobs.wait(info.jobId)).toMatchObject({ state: 'cancelled' });
    expect(jobs.cancel(info.jobId)).toBe(false);
  });

  it('keeps the error payload of a failed job', async () => {
    const { jobs } = runner();
    const info = jobs.start('t', 'Bad', async () => {
      throw new AppError('INVALID_INPUT', 'x.tif: no georeferencing');
    });
    expect(await jobs.wait(info.jobId)).toMatchObject({
      state: 'failed',
      error: { code: 'INVALID_INPUT', message: 'x.tif: no georeferencing' },
    });
  });
});
