import { randomUUID } from 'node:crypto';
import { isAbortError, toErrorPayload } from '../../shared/errors';
import type { JobInfo, JobProgress } from '../../shared/contract/core';
import type { JobContext } from './job-types';

export interface JobEvents {
  progress(p: JobProgress): void;
  finished(info: JobInfo): void;
}

interface Entry {
  info: JobInfo;
  controller: AbortController;
  lastEmit: number;
  /** A throttled update waiting to be sent, so the last one is never lost when work stalls. */
  trailing: ReturnType<typeof setTimeout> | null;
}

/** Minimum gap between two progress events of one job, so a fast loop cannot flood a transport. */
const PROGRESS_INTERVAL_MS = 100;
/** Finished jobs kept for `jobs.get` after they end. */
const KEEP_FINISHED = 200;

/**
 * Runs long operations as jobs: each gets an id, an AbortSignal, and a progress sink whose
 * events reach every host's listeners. Cancelling aborts the signal; the job's own code
 * decides where it is safe to stop (between chunks), so earlier results are never lost.
 */
export class JobRunner {
  private readonly jobs = new Map<string, Entry>();

  constructor(private readonly events: JobEvents) {}

  start<T>(kind: string, label: string, fn: (ctx: JobContext) => Promise<T>): JobInfo {
    const jobId = randomUUID();
    const controller = new AbortController();
    const info: JobInfo = {
      jobId,
      kind,
      label,
      phase: 'starting',
      done: 0,
      total: 0,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const entry: Entry = { info, controller, lastEmit: 0, trailing: null };
    this.jobs.set(jobId, entry);
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (phase, done, total) => {
        if (info.state !== 'running') return;
        Object.assign(info, { phase, done, total });
        const now = Date.now();
        const send = () => {
          if (entry.trailing) clearTimeout(entry.trailing);
          entry.trailing = null;
          entry.lastEmit = Date.now();
          if (info.state === 'running') this.events.progress(this.snapshot(info));
        };
        if (now - entry.lastEmit >= PROGRESS_INTERVAL_MS || done >= total) send();
        else entry.trailing ??= setTimeout(send, PROGRESS_INTERVAL_MS - (now - entry.lastEmit));
      },
    };
    this.events.progress(this.snapshot(info));
    // Run on the next tick so the caller gets the id before the first await inside `fn`.
    void Promise.resolve()
      .then(() => fn(ctx))
      .then(
        (result) => this.finish(entry, 'done', { result }),
        (err: unknown) => {
          const cancelled = controller.signal.aborted || isAbortError(err);
          this.finish(
            entry,
            cancelled ? 'cancelled' : 'failed',
            cancelled ? {} : { error: toErrorPayload(err) },
          );
        },
      );
    return { ...info };
  }

  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.info.state !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  get(jobId: string): JobInfo | undefined {
    const e = this.jobs.get(jobId);
    return e ? { ...e.info } : undefined;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => ({ ...e.info }));
  }

  /** Resolves with the job's final state; convenient for the CLI and tests. */
  wait(jobId: string): Promise<JobInfo> {
    return new Promise((resolve) => {
      const poll = () => {
        const info = this.get(jobId);
        if (!info || info.state !== 'running') resolve(info!);
        else setTimeout(poll, 20);
      };
      poll();
    });
  }

  /** Cancels every running job (host shutdown). */
  dispose(): void {
    for (const e of this.jobs.values()) if (e.info.state === 'running') e.controller.abort();
  }

  private finish(entry: Entry, state: JobInfo['state'], extra: Partial<JobInfo>): void {
    if (entry.trailing) clearTimeout(entry.trailing);
    entry.trailing = null;
    Object.assign(entry.info, extra, { state, finishedAt: new Date().toISOString() });
    if (state === 'done') entry.info.phase = 'done';
    if (state === 'cancelled') entry.info.phase = 'cancelled';
    this.events.progress(this.snapshot(entry.info));
    this.events.finished({ ...entry.info });
    this.prune();
  }

  private snapshot(info: JobInfo): JobProgress {
    const { jobId, kind, label, phase, done, total, state } = info;
    return { jobId, kind, label, phase, done, total, state };
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((e) => e.info.state !== 'running');
    for (const e of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(e.info.jobId);
  }
}
