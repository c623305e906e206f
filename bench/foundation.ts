import { createCoreApp } from '../src/core/app/core-app';
import { InProcessEngine } from '../src/engine/engine-client';
import { startServer } from '../src/server/http-server';
import { requests } from '../src/shared/contract';
import { dispatch } from '../src/shared/rpc';
import { decodeWire, encodeWire } from '../src/shared/wire';
import { medianMs, type BenchRow } from './table';

/** Contract overheads: binary framing vs a plain copy of the same bytes; an HTTP round trip vs a direct dispatch. */
export async function runFoundationBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const scores = new Float32Array(10_000_000).map((_, i) => Math.sin(i));
  const copyMs = await medianMs(5, () => new Float32Array(scores));
  const wireMs = await medianMs(5, () => decodeWire(encodeWire({ scores })));
  rows.push({
    bench: 'contract',
    case: 'wire encode+decode 10M float32 (40 MB)',
    ours: `${wireMs.toFixed(1)} ms`,
    reference: `memory copy ${copyMs.toFixed(1)} ms`,
    ratio: wireMs / copyMs,
    note: 'encode copies once, decode once: ~2 copies is the floor',
  });

  const app = createCoreApp({ host: 'web', engine: new InProcessEngine() });
  const server = await startServer({ app, rendererDir: '/nonexistent', token: 'bench' });
  const direct = await medianMs(200, () =>
    dispatch(requests, app.handlers, 'jobs.list', {}, { signal: new AbortController().signal }),
  );
  const http = await medianMs(200, async () => {
    const r = await fetch(`${server.origin}/api/rpc/jobs.list`, {
      method: 'POST',
      headers: { 'x-graft-token': 'bench' },
      body: '{}',
    });
    await r.json();
  });
  rows.push({
    bench: 'contract',
    case: 'request round trip (jobs.list)',
    ours: `HTTP ${(http * 1000).toFixed(0)} µs`,
    reference: `in-process ${(direct * 1000).toFixed(0)} µs`,
    ratio: http / direct,
    note: 'loopback HTTP + JSON + validation',
  });
  await server.close();
  app.dispose();
  return rows;
}
