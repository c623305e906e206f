import { z } from 'zod';

/**
 * Requests the host sends to the engine process (the one that runs ONNX Runtime). They never
 * reach the renderer directly; host handlers call them.
 */
export const engineRequests = {
  'engine.ping': { req: z.object({}), res: z.object({ pid: z.number(), uptimeS: z.number() }) },
  'engine.selfTest': {
    req: z.object({ steps: z.number().int().min(1), stepMs: z.number().int().min(0) }),
    res: z.object({ steps: z.number(), checksum: z.number() }),
  },
  /** Test hook: makes the engine process exit, to prove the host restarts it. */
  'engine.crash': { req: z.object({}), res: z.object({}) },
} as const;
