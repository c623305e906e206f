import { delay, throwIfAborted } from '../shared/abort';
import { engineRequests } from '../shared/contract/engine';
import type { ParsedReqOf, ResOf } from '../shared/rpc';
import type { EngineHandlerContext } from './engine-protocol';
import { createEngineModels } from './engine-models';
import { modelHandlers } from './model-handlers';
import { samHandlers } from './sam-handlers';

type M = typeof engineRequests;
export type EngineHandlers = {
  [K in keyof M]: (req: ParsedReqOf<M, K>, ctx: EngineHandlerContext) => Promise<ResOf<M, K>>;
};

const startedAt = Date.now();

/** Everything the engine process can do; all inference shares one ModelRuntime. */
export function createEngineHandlers(opts: { onCrashRequest?: () => void } = {}): EngineHandlers {
  const models = createEngineModels();
  return {
    'engine.ping': async () => ({ pid: process.pid, uptimeS: (Date.now() - startedAt) / 1000 }),
    'engine.selfTest': async ({ steps, stepMs }, ctx) => {
      // A little real arithmetic per step so the test exercises the process, not only timers.
      let checksum = 0;
      for (let i = 0; i < steps; i++) {
        throwIfAborted(ctx.signal);
        for (let j = 0; j < 10_000; j++) checksum = (checksum + ((i * 31 + j) % 97)) % 1_000_003;
        if (stepMs > 0) await delay(stepMs, ctx.signal);
        ctx.progress('self-test', i + 1, steps);
      }
      return { steps, checksum };
    },
    'engine.crash': async () => {
      (opts.onCrashRequest ?? (() => setTimeout(() => process.exit(70), 10)))();
      return {};
    },
    ...modelHandlers(models),
    ...samHandlers(models),
  };
}
