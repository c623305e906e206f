import path from 'node:path';
import { createCoreApp, type CoreApp } from '../core/app/core-app';
import { repoRoot } from '../core/util/paths';
import { EngineClient } from '../engine/engine-client';
import { startServer, type RunningServer } from './http-server';

export interface WebHost {
  app: CoreApp;
  server: RunningServer;
  close(): Promise<void>;
}

export function defaultRendererDir(): string {
  return process.env.GRAFT_RENDERER_DIR ?? path.join(repoRoot(), 'out', 'renderer');
}

/** The core app with its engine process behind the HTTP server: what `serve` runs. */
export async function startWebHost(
  opts: { host?: string; port?: number; token?: string } = {},
): Promise<WebHost> {
  const app = createCoreApp({ host: 'web', engine: new EngineClient() });
  const server = await startServer({
    app,
    rendererDir: defaultRendererDir(),
    tiles: (sceneId, z, x, y, render, signal) =>
      app.scenes.renderTile(
        sceneId,
        z,
        x,
        y,
        { render: render === 'falsecolor' ? 'falsecolor' : 'truecolor' },
        signal,
      ),
    ...opts,
  });
  return {
    app,
    server,
    close: async () => {
      await server.close();
      app.dispose();
    },
  };
}
