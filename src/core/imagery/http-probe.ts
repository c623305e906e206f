import { AppError } from '../../shared/errors';
import { abortError } from '../../shared/abort';

/** What a range probe learned about a URL. */
export interface HttpProbe {
  /** Total size in bytes from Content-Range, when the server says it. */
  size: number | null;
  /** The first bytes of the resource (at most 16). */
  head: Uint8Array;
}

/**
 * Asks for the first 16 bytes of `url` with a Range request. A COG over HTTP is only usable when
 * the server answers 206 Partial Content: a 200 means it ignores Range and would send the whole
 * file for every tile, so it is refused with a NETWORK error naming the URL, as are 4xx/5xx.
 */
export async function probeRangeSupport(url: string, signal?: AbortSignal): Promise<HttpProbe> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Range: 'bytes=0-15' }, signal });
  } catch (err) {
    if (signal?.aborted) throw abortError();
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new AppError('NETWORK', `${url}: cannot fetch (${why})`);
  }
  if (res.status === 206) {
    const body = new Uint8Array(await res.arrayBuffer()).subarray(0, 16);
    const m = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
    return { size: m ? Number(m[1]) : null, head: body };
  }
  // Do not download a body we will not use.
  await res.body?.cancel().catch(() => {});
  if (res.status === 200) {
    throw new AppError(
      'NETWORK',
      `${url}: the server ignores HTTP Range requests (answered 200 instead of 206); a COG URL needs range support`,
    );
  }
  throw new AppError('NETWORK', `${url}: HTTP ${res.status} ${res.statusText || ''}`.trimEnd());
}
