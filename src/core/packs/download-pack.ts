import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { AppError } from '../../shared/errors';
import { abortError, throwIfAborted } from '../../shared/abort';
import type { JobContext } from '../jobs/job-types';
import { parseManifest, type PackManifest } from './manifest';
import { sha256File } from './sha256-file';

/** `…/pack/` or `…/pack/manifest.json` → the manifest URL. */
export function manifestUrlOf(url: string): URL {
  const u = new URL(url);
  if (!/\.json$/i.test(u.pathname)) u.pathname = u.pathname.replace(/\/?$/, '/manifest.json');
  return u;
}

async function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { headers, signal });
  } catch (e) {
    if (signal.aborted) throw abortError();
    throw new AppError('NETWORK', `${url.href}: request failed (${(e as Error).message})`);
  }
}

/** Fetches and validates a remote manifest.json. Returns the parsed manifest and its exact text. */
export async function fetchManifest(
  url: string,
  signal: AbortSignal,
): Promise<{ manifest: PackManifest; text: string; base: URL }> {
  const mu = manifestUrlOf(url);
  const res = await get(mu, {}, signal);
  if (!res.ok) throw new AppError('NETWORK', `${mu.href}: HTTP ${res.status} ${res.statusText}`);
  const text = await res.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('PACK_INVALID', `${mu.href}: invalid JSON (${(e as Error).message})`);
  }
  return { manifest: parseManifest(raw, mu.href), text, base: new URL('.', mu) };
}

/**
 * Downloads one file to `dest` through `dest.part`: resumes a partial .part with a Range request
 * (a server that answers 200 instead of 206 restarts it), checks size and sha256, then renames
 * it into place. A complete, matching `dest` is kept as is.
 */
async function downloadFile(
  url: URL,
  dest: string,
  want: { sha256: string; bytes: number },
  onBytes: (n: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const name = path.basename(dest);
  const done = await fs.stat(dest).catch(() => undefined);
  if (done?.size === want.bytes && (await sha256File(dest, undefined, signal)) === want.sha256)
    return onBytes(want.bytes);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let have = (await fs.stat(part).catch(() => undefined))?.size ?? 0;
  if (have > want.bytes) {
    await fs.rm(part);
    have = 0;
  }
  if (have < want.bytes) {
    const res = await get(url, have > 0 ? { Range: `bytes=${have}-` } : {}, signal);
    if (res.status === 206) {
      const m = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== have)
        throw new AppError(
          'NETWORK',
          `${url.href}: server resumed at ${m?.[1] ?? '?'} instead of byte ${have}`,
        );
    } else if (res.ok)
      have = 0; // server ignored Range: start over
    else throw new AppError('NETWORK', `${url.href}: HTTP ${res.status} ${res.statusText}`);
    if (!res.body) throw new AppError('NETWORK', `${url.href}: empty response`);
    const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
    let n = have;
    onBytes(n);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(chunk)) await once(out, 'drain');
        n += chunk.length;
        onBytes(n);
      }
    } catch (e) {
      if (signal.aborted) throw abortError();
      throw new AppError(
        'NETWORK',
        `${url.href}: download interrupted at byte ${n} (${(e as Error).message}); run the import again to resume`,
      );
    } finally {
      out.end();
      await once(out, 'close');
    }
    throwIfAborted(signal);
  }
  const size = (await fs.stat(part)).size;
  if (size !== want.bytes)
    throw new AppError(
      'NETWORK',
      `${name}: got ${size} bytes, manifest says ${want.bytes}; run the import again to resume`,
    );
  const sha = await sha256File(part, undefined, signal);
  if (sha !== want.sha256) {
    await fs.rm(part, { force: true });
    throw new AppError(
      'PACK_INVALID',
      `sha256 mismatch for ${name} downloaded from ${url.href} (manifest ${want.sha256.slice(0, 12)}…, got ${sha.slice(0, 12)}…)`,
    );
  }
  await fs.rename(part, dest);
}

/**
 * Downloads a pack (manifest, then every file it lists) into `stagingDir`, reporting
 * job.progress('download', bytes, totalBytes). Partial files survive failures and cancellation,
 * so calling again with the same staging folder resumes.
 */
export async function downloadPackTo(
  url: string,
  stagingDir: string | ((m: PackManifest) => string),
  job: JobContext,
): Promise<{ dir: string; manifest: PackManifest }> {
  const { manifest, text, base } = await fetchManifest(url, job.signal);
  const dir = typeof stagingDir === 'string' ? stagingDir : stagingDir(manifest);
  await fs.mkdir(dir, { recursive: true });
  const files = Object.entries(manifest.files);
  const total = files.reduce((a, [, f]) => a + f.bytes, 0);
  let before = 0;
  for (const [file, want] of files) {
    throwIfAborted(job.signal);
    const u = new URL(file.split('/').map(encodeURIComponent).join('/'), base);
    await downloadFile(
      u,
      path.join(dir, file),
      want,
      (n) => job.progress('download', before + n, total),
      job.signal,
    );
    before += want.bytes;
  }
  await fs.writeFile(path.join(dir, 'manifest.json'), text);
  return { dir, manifest };
}
