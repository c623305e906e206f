import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zarr from 'zarrita';
import FileSystemStore from '@zarrita/storage/fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createField, chunkBounds, openField } from '../../src/core/field/field-store';
import { isChunkComplete, missingChunks, readChunk, writeChunk } from '../../src/core/field/field-chunks';
import type { Field } from '../../src/core/field/field-types';
import { HAS_NUMPY, rng, runPython, testMeta, tmpDir, unitVectors } from './helpers';

const dirs: string[] = [];
const fresh = (tag: string) => {
  const d = tmpDir(tag);
  dirs.push(d);
  return path.join(d, 'field.zarr');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A whole grid of unit vectors float32[rows, cols, dim] and a validity mask with some nodata. */
function grid(rows: number, cols: number, dim: number, seed: number) {
  const r = rng(seed);
  const data = unitVectors(rows * cols, dim, r);
  const valid = new Uint8Array(rows * cols).map(() => (r() < 0.9 ? 1 : 0));
  return { data, valid };
}

function chunkOf(f: Field, g: { data: Float32Array; valid: Uint8Array }, cr: number, cc: number) {
  const { cols, dim } = f.meta;
  const b = chunkBounds(f.grid, cr, cc);
  const h = b.r1 - b.r0;
  const w = b.c1 - b.c0;
  const data = new Float32Array(h * w * dim);
  const valid = new Uint8Array(h * w);
  for (let r = 0; r < h; r++) {
    data.set(
      g.data.subarray(((b.r0 + r) * cols + b.c0) * dim, ((b.r0 + r) * cols + b.c1) * dim),
      r * w * dim,
    );
    valid.set(g.valid.subarray((b.r0 + r) * cols + b.c0, (b.r0 + r) * cols + b.c1), r * w);
  }
  return { data, valid };
}

async function writeAll(f: Field, g: ReturnType<typeof grid>, only?: (cr: number, cc: number) => boolean) {
  for (let cr = 0; cr < f.grid.chunkRows; cr++) {
    for (let cc = 0; cc < f.grid.chunkCols; cc++) {
      if (only && !only(cr, cc)) continue;
      const c = chunkOf(f, g, cr, cc);
      await writeChunk(f, cr, cc, c.data, c.valid);
    }
  }
}

/** Every file under dir (relative path -> bytes). */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = path.join(e.parentPath, e.name);
      out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  }
  return out;
}

// 21 x 19 patches in chunks of 8: partial chunks on the last row and column.
const ROWS = 21;
const COLS = 19;
const DIM = 12;

describe('embedding field store', () => {
  it('round-trips float16 within 2^-11 relative (2^-25 absolute for float16 subnormals)', async () => {
    const dir = fresh('rt');
    const g = grid(ROWS, COLS, DIM, 1);
    const f = await createField(dir, testMeta(ROWS, COLS, DIM));
    await writeAll(f, g);
    const f2 = await openField(dir);
    expect(f2.meta).toEqual(f.meta);
    let worst = 0;
    for (let cr = 0; cr < f2.grid.chunkRows; cr++) {
      for (let cc = 0; cc < f2.grid.chunkCols; cc++) {
        const got = (await readChunk(f2, cr, cc))!;
        const want = chunkOf(f2, g, cr, cc);
        expect(got.valid).toEqual(want.valid);
        for (let p = 0; p < got.valid.length; p++) {
          for (let d = 0; d < DIM; d++) {
            const a = got.data[p * DIM + d];
            const b = want.valid[p] ? want.data[p * DIM + d] : 0;
            const err = Math.abs(a - b) - 2 ** -11 * Math.abs(b) - 2 ** -25;
            worst = Math.max(worst, err);
          }
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(0);
  });

  it('stores unit vectors (normalises at write time) and refuses wrong shapes', async () => {
    const dir = fresh('norm');
    const f = await createField(dir, testMeta(4, 4, 3, { chunkSize: 4 }));
    const data = new Float32Array(16 * 3).map((_, i) => (i % 3) + 1); // (1,2,3) everywhere
    await writeChunk(f, 0, 0, data, new Uint8Array(16).fill(1));
    const got = (await readChunk(f, 0, 0))!;
    const n = Math.sqrt(14);
    expect(Array.from(got.data.subarray(0, 3))).toEqual(
      [1 / n, 2 / n, 3 / n].map((v) => expect.closeTo(v, 3)),
    );
    await expect(writeChunk(f, 0, 0, new Float32Array(5), new Uint8Array(16))).rejects.toThrow(
      /float32\[4, 4, 3\]/,
    );
    await expect(writeChunk(f, 1, 0, data, new Uint8Array(16))).rejects.toThrow(/outside/);
    await expect(createField(dir, testMeta(4, 4, 3))).rejects.toThrow(/already exists/);
  });

  it('resumes after a crash and ends byte for byte equal to an uninterrupted write', async () => {
    const g = grid(ROWS, COLS, DIM, 2);
    const ref = fresh('ref');
    await writeAll(await createField(ref, testMeta(ROWS, COLS, DIM)), g);

    const dir = fresh('crash');
    const f = await createField(dir, testMeta(ROWS, COLS, DIM));
    await writeAll(f, g, (cr, cc) => cr * 3 + cc < 4); // the first 4 chunks complete
    // The crash: chunk (1,1)'s files renamed into place but the process died before the
    // attributes update, plus a temp file of a write that never got renamed.
    const torn = chunkOf(f, g, 1, 1);
    const scratch = fresh('scratch');
    const other = await createField(scratch, testMeta(ROWS, COLS, DIM));
    await writeChunk(other, 1, 1, torn.data, torn.valid);
    fs.mkdirSync(path.join(dir, 'embeddings/c/1/1'), { recursive: true });
    fs.copyFileSync(path.join(scratch, 'embeddings/c/1/1/0'), path.join(dir, 'embeddings/c/1/1/0'));
    fs.mkdirSync(path.join(dir, '.tmp'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.tmp', '0.999.deadbeef'), Buffer.alloc(100));

    const resumed = await openField(dir);
    expect(fs.existsSync(path.join(dir, '.tmp'))).toBe(false);
    expect(isChunkComplete(resumed, 1, 1)).toBe(false);
    expect(await readChunk(resumed, 1, 1)).toBeNull();
    const todo = missingChunks(resumed);
    expect(todo.map((c) => `${c.cr},${c.cc}`)).toEqual(['1,1', '1,2', '2,0', '2,1', '2,2']);
    for (const { cr, cc } of todo) {
      const c = chunkOf(resumed, g, cr, cc);
      await writeChunk(resumed, cr, cc, c.data, c.valid);
    }
    const a = snapshot(ref);
    const b = snapshot(dir);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
  });

  it('writes concurrently without losing completion bits', async () => {
    const dir = fresh('conc');
    const g = grid(ROWS, COLS, DIM, 3);
    const f = await createField(dir, testMeta(ROWS, COLS, DIM));
    const jobs: Promise<void>[] = [];
    for (let cr = 0; cr < 3; cr++)
      for (let cc = 0; cc < 3; cc++) {
        const c = chunkOf(f, g, cr, cc);
        jobs.push(writeChunk(f, cr, cc, c.data, c.valid));
      }
    await Promise.all(jobs);
    expect(missingChunks(await openField(dir))).toEqual([]);
  });

  it('int8 fields dequantise to exactly float32(q * scale), read back by zarrita too', async () => {
    const dir = fresh('i8');
    const g = grid(ROWS, COLS, DIM, 4);
    const f = await createField(dir, testMeta(ROWS, COLS, DIM, { dtype: 'int8' }));
    await writeAll(f, g);
    const store = new FileSystemStore(dir);
    const emb = await zarr.open(zarr.root(store).resolve('embeddings'), { kind: 'array' });
    const scale = await zarr.open(zarr.root(store).resolve('scale'), { kind: 'array' });
    const valid = await zarr.open(zarr.root(store).resolve('valid'), { kind: 'array' });
    const E = (await zarr.get(emb)).data as Int8Array; // [rows, cols, dim]
    const S = (await zarr.get(scale)).data as Float32Array;
    const V = (await zarr.get(valid)).data as Uint8Array;
    expect(Array.from(V)).toEqual(Array.from(g.valid));
    let worst = 0;
    for (let cr = 0; cr < f.grid.chunkRows; cr++)
      for (let cc = 0; cc < f.grid.chunkCols; cc++) {
        const got = (await readChunk(f, cr, cc))!;
        const b = chunkBounds(f.grid, cr, cc);
        const w = b.c1 - b.c0;
        for (let i = 0; i < got.valid.length; i++) {
          const cell = (b.r0 + Math.floor(i / w)) * COLS + b.c0 + (i % w);
          for (let d = 0; d < DIM; d++) {
            expect(got.data[i * DIM + d]).toBe(Math.fround(E[cell * DIM + d] * S[cell]));
            if (g.valid[cell])
              worst = Math.max(
                worst,
                Math.abs(got.data[i * DIM + d] - g.data[cell * DIM + d]) / (S[cell] / 2),
              );
          }
        }
      }
    expect(worst).toBeLessThanOrEqual(1.0001); // quantisation error <= half a step
  });

  // No zarr-python for Zarr v3 here (Debian's python3-zarr is 2.13), so an independent reader
  // written from the v3 spec (zarr.json, regular chunk grid, default "/" chunk keys, bytes codec)
  // assembles the arrays with numpy, and must see the same values as our reader.
  it.skipIf(!HAS_NUMPY)('is readable by a Zarr v3 spec reader in numpy', async () => {
    const dir = fresh('py');
    const g = grid(ROWS, COLS, DIM, 5);
    const f = await createField(dir, testMeta(ROWS, COLS, DIM));
    await writeAll(f, g, (cr, cc) => !(cr === 2 && cc === 2)); // one chunk missing: fill value
    const out = runPython(
      `import json, sys, os, base64, numpy as np
root = sys.argv[1]
g = json.load(open(os.path.join(root, 'zarr.json')))
assert g['zarr_format'] == 3 and g['node_type'] == 'group'
a = g['attributes']['graft_field']
def read(name):
    m = json.load(open(os.path.join(root, name, 'zarr.json')))
    assert m['zarr_format'] == 3 and m['node_type'] == 'array'
    assert m['chunk_key_encoding'] == {'name': 'default', 'configuration': {'separator': '/'}}
    assert m['codecs'][0]['name'] == 'bytes' and len(m['codecs']) == 1
    dt = np.dtype(m['data_type']).newbyteorder('<')
    shape, cs = m['shape'], m['chunk_grid']['configuration']['chunk_shape']
    out = np.full(shape, m['fill_value'], dt)
    grid = [-(-s // c) for s, c in zip(shape, cs)]
    for idx in np.ndindex(*grid):
        p = os.path.join(root, name, 'c', *map(str, idx))
        if not os.path.exists(p): continue
        chunk = np.fromfile(p, dt).reshape(cs)
        sl = tuple(slice(i * c, min((i + 1) * c, s)) for i, c, s in zip(idx, cs, shape))
        out[sl] = chunk[tuple(slice(0, s.stop - s.start) for s in sl)]
    return out
e = read('embeddings'); v = read('valid')
cc = a['complete_chunks']
done = np.unpackbits(np.frombuffer(base64.b64decode(cc['data']), np.uint8), bitorder='little')[:np.prod(cc['shape'])].reshape(cc['shape'])
e.astype('<f4').tofile(os.path.join(root, 'py-emb.f32'))
print(json.dumps({'shape': list(e.shape), 'dtype': str(e.dtype), 'valid_sum': int(v.sum()), 'done': done.tolist(), 'gt': a['geo_transform'], 'epsg': a['crs']['epsg']}))`,
      [dir],
    );
    const info = JSON.parse(out);
    expect(info.shape).toEqual([ROWS, COLS, DIM]);
    expect(info.dtype).toBe('float16');
    expect(info.gt).toEqual([500000, 9.6, 0, 4200000, 0, -9.6]);
    expect(info.epsg).toBe(32610);
    expect(info.done).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 0],
    ]);
    const py = new Float32Array(fs.readFileSync(path.join(dir, 'py-emb.f32')).buffer.slice(0));
    let validInWritten = 0;
    for (let cr = 0; cr < 3; cr++)
      for (let cc = 0; cc < 3; cc++) {
        const got = await readChunk(f, cr, cc);
        const b = chunkBounds(f.grid, cr, cc);
        const w = b.c1 - b.c0;
        for (let i = 0; i < (b.r1 - b.r0) * w; i++) {
          const cell = (b.r0 + Math.floor(i / w)) * COLS + b.c0 + (i % w);
          if (got) validInWritten += got.valid[i];
          for (let d = 0; d < DIM; d++) expect(py[cell * DIM + d]).toBe(got ? got.data[i * DIM + d] : 0);
        }
      }
    expect(info.valid_sum).toBe(validInWritten);
  });

  it('openField says what is wrong', async () => {
    await expect(openField(fresh('none'))).rejects.toThrow(/no embedding field/);
    const dir = fresh('bad');
    await createField(dir, testMeta(4, 4, 3));
    const j = JSON.parse(fs.readFileSync(path.join(dir, 'embeddings/zarr.json'), 'utf8'));
    j.codecs.push({ name: 'zstd', configuration: { level: 3 } });
    fs.writeFileSync(path.join(dir, 'embeddings/zarr.json'), JSON.stringify(j));
    await expect(openField(dir)).rejects.toThrow(/embeddings: codecs .* not plain little-endian bytes/);
  });
});
