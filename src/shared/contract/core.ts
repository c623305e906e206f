import { z } from 'zod';

export const JobState = z.enum(['running', 'done', 'failed', 'cancelled']);

/** Progress of one job; `done`/`total` are in the phase's units (patches, tiles, bytes). */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  label: z.string(),
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  state: JobState,
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const ErrorPayloadSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const JobInfoSchema = JobProgressSchema.extend({
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.unknown().optional(),
  error: ErrorPayloadSchema.optional(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

export const JobRef = z.object({ jobId: z.string() });

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  platform: z.string(),
  engine: z.object({
    state: z.enum(['idle', 'starting', 'ready', 'crashed']),
    pid: z.number().nullable(),
    restarts: z.number(),
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const coreRequests = {
  'app.info': { req: z.object({}), res: AppInfoSchema },
  /** Engine self-test: a cancellable job that runs inside the engine process and reports progress. */
  'engine.selfTest': {
    req: z.object({
      steps: z.number().int().min(1).max(100_000).default(20),
      stepMs: z.number().int().min(0).max(5_000).default(50),
    }),
    res: JobRef,
  },
  /** Native file picker; only the desktop host has one (the web host answers UNSUPPORTED). */
  'host.pickFiles': {
    req: z.object({
      title: z.string().max(200).optional(),
      kind: z.enum(['imagery', 'geojson', 'pack', 'any']).default('any'),
    }),
    res: z.object({ paths: z.array(z.string()) }),
  },
  /** Which execution provider (cuda | cpu) runs each loaded model, by "pack/role". */
  'engine.providers': { req: z.object({}), res: z.record(z.string(), z.string()) },
  'jobs.list': { req: z.object({}), res: z.array(JobInfoSchema) },
  'jobs.get': { req: JobRef, res: JobInfoSchema },
  'jobs.cancel': { req: JobRef, res: z.object({ cancelled: z.boolean() }) },
} as const;

export const coreEvents = {
  'job.progress': JobProgressSchema,
  'job.finished': JobInfoSchema,
} as const;
