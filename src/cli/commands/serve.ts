import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { flagNumber, flagString } from '../parse-args';
import { defaultRendererDir, startWebHost } from '../../server/web-host';
import { AppError } from '../../shared/errors';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--port N] [--host 127.0.0.1] [--open]',
  summary: 'run the app as a local web server (open the printed URL in any browser)',
  flags: [
    { name: 'port', type: 'string', description: 'port to listen on (default 8765; 0 picks a free one)' },
    {
      name: 'host',
      type: 'string',
      description: 'address to bind (default 127.0.0.1; anything else exposes your files)',
    },
    { name: 'open', type: 'boolean', description: 'open the URL in the default browser' },
  ],
  async run(args, io) {
    const port = flagNumber(args, 'port', { int: true, min: 0, max: 65535 }) ?? 8765;
    const host = flagString(args, 'host') ?? '127.0.0.1';
    if (!existsSync(path.join(defaultRendererDir(), 'index.html'))) {
      throw new AppError(
        'NOT_FOUND',
        `the renderer is not built (${defaultRendererDir()}); run: npm run build:renderer`,
      );
    }
    const web = await startWebHost({ host, port }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new AppError('IO', `port ${port} is in use; try --port 0 for a free one`);
      throw err;
    });
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      io.err(
        `warning: listening on ${host}: anyone who can reach it and has the token can read the files you open`,
      );
    }
    if (io.jsonMode) io.json({ url: web.server.url, port: web.server.port, token: web.server.token });
    else io.out(`GRAFT Workbench is serving at ${web.server.url}\nPress Ctrl+C to stop.`);
    if (args.flags.open)
      spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [web.server.url], {
        stdio: 'ignore',
        detached: true,
      }).on('error', () => io.err('could not open a browser; open the URL yourself'));
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await web.close();
    return 0;
  },
};
