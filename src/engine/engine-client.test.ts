import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient, InProcessEngine } from './engine-client';

describe('EngineClient (a real forked engine process)', () => {
  const engine = new EngineClient();
  afterAll(() => engine.dispose());

  it('answers, reports progress and agrees with the in-process engine', async () => {
    const seen: number[] = [];
    const r = await engine.request(
      'engine.selfTest',
      { steps: 5, stepMs: 0 },
      { onProgress: (_p, d) => seen.push(d) },
    );
    const local = await new InProcessEngine().request('engine.selfTest', { steps: 5, stepMs: 0 });
    expect(r).toEqual(local);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const ping = await engine.request('engine.ping', {});
    expect(ping.pid).not.toBe(process.pid);
  });

  it('cancels across the process boundary', async () => {
    const c = new AbortController();
    const p = engine.request(
      'engine.selfTest',
      { steps: 1000, stepMs: 20 },
      { signal: c.signal, onProgress: (_ph, d) => d === 2 && c.abort() },
    );
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('validates engine requests in the engine process', async () => {
    await expect(engine.request('engine.selfTest', { steps: -1, stepMs: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('fails requests in flight with ENGINE_CRASHED and restarts on the next one', async () => {
    const before = (await engine.request('engine.ping', {})).pid;
    const inflight = engine.request('engine.selfTest', { steps: 1000, stepMs: 20 });
    await engine.request('engine.crash', {});
    await expect(inflight).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    expect(engine.status().state).toBe('crashed');
    const after = (await engine.request('engine.ping', {})).pid;
    expect(after).not.toBe(before);
    expect(engine.status()).toMatchObject({ state: 'ready', restarts: 1 });
  });
});
