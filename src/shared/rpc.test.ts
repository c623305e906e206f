import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requests } from './contract';
import { AppError } from './errors';
import { dispatch, parseRequest, type RequestMap } from './rpc';

const map = {
  'scene.open': {
    req: z.object({ sources: z.array(z.string()).min(1), profile: z.enum(['naip', 'rgb']).optional() }),
    res: z.object({ id: z.string() }),
  },
} satisfies RequestMap;
const ctx = { signal: new AbortController().signal };

describe('dispatch', () => {
  it('passes a valid request to its handler', async () => {
    const out = await dispatch(
      map,
      { 'scene.open': async (r) => ({ id: r.sources.join('+') }) },
      'scene.open',
      { sources: ['a', 'b'] },
      ctx,
    );
    expect(out).toEqual({ ok: true, result: { id: 'a+b' } });
  });

  it('rejects a malformed request with a message naming each field', async () => {
    let called = false;
    const out = await dispatch(
      map,
      { 'scene.open': async () => ((called = true), { id: 'x' }) },
      'scene.open',
      { sources: 'a.tif', profile: 'landsat' },
      ctx,
    );
    expect(called).toBe(false);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('BAD_REQUEST');
    expect(out.error.message).toMatch(/^Invalid request for scene\.open: /);
    expect(out.error.message).toMatch(/sources: .*array/);
    expect(out.error.message).toMatch(/profile: /);
  });

  it('names an unknown method and never calls a prototype key', async () => {
    const out = await dispatch(map, {}, 'toString', {}, ctx);
    expect(out).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'Unknown method "toString"' },
    });
  });

  it('turns thrown AppErrors into {code, message} and other errors into INTERNAL', async () => {
    const a = await dispatch(
      map,
      {
        'scene.open': async () => {
          throw new AppError('NOT_FOUND', 'x.tif: no such file');
        },
      },
      'scene.open',
      { sources: ['x.tif'] },
      ctx,
    );
    expect(a).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'x.tif: no such file' } });
    const b = await dispatch(
      map,
      {
        'scene.open': async () => {
          throw new TypeError('boom');
        },
      },
      'scene.open',
      { sources: ['x'] },
      ctx,
    );
    expect(b).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('applies schema defaults before the handler sees the payload', () => {
    expect(parseRequest(requests, 'engine.selfTest', {})).toEqual({ steps: 20, stepMs: 50 });
  });
});
