import type { RpcResult } from '../shared/rpc';

/** Messages between a host and its engine process (structured clone: typed arrays pass as binary). */
export type ToEngine =
  { type: 'request'; id: number; method: string; params: unknown } | { type: 'cancel'; id: number };

export type FromEngine =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; outcome: RpcResult }
  | { type: 'progress'; id: number; phase: string; done: number; total: number };

/** Lets an engine handler report progress back to the job that called it. */
export interface EngineHandlerContext {
  signal: AbortSignal;
  progress(phase: string, done: number, total: number): void;
}
