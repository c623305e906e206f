import type { ImageryMethod, ImageryReq, ImageryRes } from '../../shared/contract/imagery';
import type { SceneRegistry } from './scene-registry';

/** What every handler receives besides its payload. */
export interface HandlerContext {
  signal: AbortSignal;
}

export type ImageryHandlers = {
  [M in ImageryMethod]: (req: ImageryReq<M>, ctx: HandlerContext) => Promise<ImageryRes<M>>;
};

/** Contract handlers for the imagery requests, over one registry (payloads are already validated). */
export function imageryHandlers(registry: SceneRegistry): ImageryHandlers {
  return {
    'imagery.open': async (req, ctx) =>
      (await registry.open(req.sources, { profile: req.profile }, ctx.signal)).info(),
    'imagery.list': async () => registry.list(),
    'imagery.close': async (req) => ({ closed: registry.close(req.sceneId) }),
    'imagery.info': async (req) => registry.get(req.sceneId).info(),
  };
}
