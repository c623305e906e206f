import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackRegistry } from '../../src/core/packs/pack-registry';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { copyPack, editManifest, tempStarter } from './helpers';

/**
 * A local pack server on 127.0.0.1 with Range support. `cutAfter[file]` makes the first full
 * request for that file send only that many bytes and then destroy the socket (a dropped link).
 */
function packServer(root: string) {
  const log: { url: string; range?: string; status: number }[] = [];
  const cutAfter: Record<string, number> = {};
  let ignoreRange = false;
  const server = http.createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url!, 'http://x').pathname).replace(/^\/pack\//, '');
    const body = await fs.readFile(path.join(root, rel)).catch(() => undefined);
    const range = req.headers.range;
    if (!body) {
      log.push({ url: rel, range, status: 404 });
      res.writeHead(404).end('not found');
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m && !ignoreRange) {
      const start = Number(m[1]);
      log.push({ url: rel, range, status: 206 });
      res.writeHead(206, {
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'content-length': body.length - start,
      });
      res.end(body.subarray(start));
      return;
    }
    log.push({ url: rel, range, status: 200 });
    res.writeHead(200, { 'content-length': body.length });
    const cut = cutAfter[rel];
    if (cut !== undefined) {
      delete cutAfter[rel];
      res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  });
  return { server, log, cutAfter, setIgnoreRange: (v: boolean) => (ignoreRange = v) };
}

let tmp: string;
let srcPack: string;
let srv: ReturnType<typeof packServer>;
let base: string;

beforeAll(async () => {
  const s = await tempStarter();
  tmp = s.tmp;
  srcPack = s.naip;
  srv = packServer(srcPack);
  await new Promise<void>((r) => srv.server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(srv.server.address() as AddressInfo).port}/pack/`;
});
afterAll(async () => {
  await new Promise((r) => srv.server.close(r));
  await fs.rm(tmp, { recursive: true, force: true });
});

const registryIn = (name: string) => {
  const userDir = path.join(tmp, name);
  return new PackRegistry({ userDir, roots: [{ dir: userDir, source: 'user' }] });
};

describe('pack import from a URL', () => {
  it('resumes an interrupted download with a Range request, checks sha256 and installs atomically', async () => {
    const reg = registryIn('user-resume');
    const size = (await fs.stat(path.join(srcPack, 'patch_encoder.onnx'))).size;
    srv.cutAfter['patch_encoder.onnx'] = 1000;
    srv.log.length = 0;
    const events: [string, number, number][] = [];
    const job = {
      ...silentJobContext(),
      progress: (ph: string, d: number, t: number) => events.push([ph, d, t]),
    };
    await expect(reg.importUrl(base, job)).rejects.toMatchObject({ code: 'NETWORK' });
    // Nothing visible yet; the partial file is kept for the resume.
    expect((await reg.list()).packs).toEqual([]);
    const part = path.join(tmp, 'user-resume', '.download-starter-naip', 'patch_encoder.onnx.part');
    expect((await fs.stat(part)).size).toBe(1000);

    const s = await reg.importUrl(`${base}manifest.json`, job);
    expect(s).toMatchObject({
      id: 'starter-naip',
      source: 'user',
      roles: ['patch_encoder', 'image_encoder', 'text_encoder'],
    });
    expect(srv.log).toContainEqual({ url: 'patch_encoder.onnx', range: 'bytes=1000-', status: 206 });
    expect(await fs.readFile(path.join(s.dir, 'patch_encoder.onnx'))).toEqual(
      await fs.readFile(path.join(srcPack, 'patch_encoder.onnx')),
    );
    expect(await fs.readdir(path.join(tmp, 'user-resume'))).toEqual(['starter-naip']);
    const dl = events.filter((e) => e[0] === 'download');
    expect(dl.at(-1)![1]).toBe(dl.at(-1)![2]);
    expect(dl.some((e) => e[1] === 1000 + size)).toBe(false); // progress never over-counts the resumed bytes
    // Installed twice is refused; replace works; remove deletes it.
    await expect(reg.importUrl(base, silentJobContext())).rejects.toThrow(/already installed/);
    await reg.importUrl(base, silentJobContext(), { replace: true });
    await reg.remove('starter-naip');
    expect((await reg.list()).packs).toEqual([]);
  });

  it('restarts from zero when the server ignores Range (200 instead of 206)', async () => {
    const reg = registryIn('user-norange');
    srv.cutAfter['text_encoder.onnx'] = 300;
    await expect(reg.importUrl(base, silentJobContext())).rejects.toMatchObject({ code: 'NETWORK' });
    srv.setIgnoreRange(true);
    srv.log.length = 0;
    try {
      const s = await reg.importUrl(base, silentJobContext());
      expect(srv.log).toContainEqual({ url: 'text_encoder.onnx', range: 'bytes=300-', status: 200 });
      expect(await fs.readFile(path.join(s.dir, 'text_encoder.onnx'))).toEqual(
        await fs.readFile(path.join(srcPack, 'text_encoder.onnx')),
      );
    } finally {
      srv.setIgnoreRange(false);
    }
  });

  it('rejects a file whose sha256 does not match and reports 404s', async () => {
    const liar = await copyPack(srcPack, path.join(tmp, 'liar-src'));
    await editManifest(liar, (m) => (m.files['concepts.json'].sha256 = '0'.repeat(64)));
    const liarSrv = packServer(liar);
    await new Promise<void>((r) => liarSrv.server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(liarSrv.server.address() as AddressInfo).port}/pack/`;
    try {
      const reg = registryIn('user-liar');
      await expect(reg.importUrl(url, silentJobContext())).rejects.toThrow(
        /^sha256 mismatch for concepts\.json downloaded from http:\/\/127\.0\.0\.1:\d+\/pack\/concepts\.json/,
      );
      await expect(reg.importUrl(`${url}missing/`, silentJobContext())).rejects.toThrow(
        /missing\/manifest\.json: HTTP 404/,
      );
    } finally {
      await new Promise((r) => liarSrv.server.close(r));
    }
  });
});

describe('pack import from a folder and removal', () => {
  it('copies, verifies and lists a user pack; refuses a lying pack and removing non-user packs', async () => {
    const userDir = path.join(tmp, 'user-folder');
    const reg = new PackRegistry({
      userDir,
      roots: [
        { dir: path.dirname(srcPack), source: 'starter' },
        { dir: userDir, source: 'user' },
      ],
    });
    const copy = await copyPack(srcPack, path.join(tmp, 'renamed-src'));
    await editManifest(copy, (m) => (m.id = 'my-pack'));
    const s = await reg.importFolder(copy, silentJobContext());
    expect(s).toMatchObject({ id: 'my-pack', source: 'user', embed_dim: 12, sensor: 'naip' });
    const ids = (await reg.list()).packs.map((p) => `${p.source}:${p.id}`);
    expect(ids).toEqual(['starter:starter-naip', 'starter:starter-sentinel2', 'user:my-pack']);
    await expect(reg.remove('starter-naip')).rejects.toThrow(
      /is a starter pack .* only user-installed packs can be removed/,
    );
    await expect(reg.importFolder(srcPack, silentJobContext())).rejects.toThrow(/belongs to a starter pack/);
    const bad = await copyPack(copy, path.join(tmp, 'bad-src'));
    await editManifest(bad, (m) => {
      m.id = 'bad-pack';
      m.embed_dim = 64;
    });
    await expect(reg.importFolder(bad, silentJobContext())).rejects.toThrow(
      /embedding dim 12, manifest embed_dim is 64/,
    );
    expect((await reg.list()).packs.map((p) => p.id)).not.toContain('bad-pack');
    expect(await fs.readdir(userDir)).toEqual(['my-pack']);
  });
});
