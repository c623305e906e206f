import type { z } from 'zod';
import { AppError, toErrorPayload, type ErrorPayload } from './errors';

/** A request map: method name → runtime schemas of its request and response. */
export type RequestMap = Record<string, { req: z.ZodType; res: z.ZodType }>;
/** An event map: event name → runtime schema of its payload. */
export type EventMap = Record<string, z.ZodType>;

export type ReqOf<M extends RequestMap, K extends keyof M> = z.input<M[K]['req']>;
export type ParsedReqOf<M extends RequestMap, K extends keyof M> = z.output<M[K]['req']>;
export type ResOf<M extends RequestMap, K extends keyof M> = z.output<M[K]['res']>;

/** What a handler may use besides its payload. */
export interface HandlerContext {
  /** Aborted when the caller goes away (HTTP client disconnect, window closed). */
  signal: AbortSignal;
}

export type Handler<M extends RequestMap, K extends keyof M> = (
  req: ParsedReqOf<M, K>,
  ctx: HandlerContext,
) => Promise<ResOf<M, K>>;

export type Handlers<M extends RequestMap> = { [K in keyof M]: Handler<M, K> };

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

/** Formats zod issues as one line: "sources: expected array, received string; profile: …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

/** Validates `params` against the method's schema; throws BAD_REQUEST naming every problem. */
export function parseRequest<M extends RequestMap>(map: M, method: string, params: unknown): unknown {
  const entry = Object.prototype.hasOwnProperty.call(map, method) ? map[method] : undefined;
  if (!entry) throw new AppError('UNKNOWN_METHOD', `Unknown method "${method}"`);
  const parsed = entry.req.safeParse(params ?? {});
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', `Invalid request for ${method}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The one place a request crosses into handlers: validate, run, and turn any failure into
 * `{code, message}`. Every host (HTTP, Electron IPC, engine process) calls this.
 */
export async function dispatch<M extends RequestMap>(
  map: M,
  handlers: Partial<Handlers<M>>,
  method: string,
  params: unknown,
  ctx: HandlerContext,
): Promise<RpcResult> {
  try {
    const req = parseRequest(map, method, params);
    const handler = handlers[method as keyof M];
    if (!handler) throw new AppError('UNKNOWN_METHOD', `Method "${method}" is not available in this host`);
    const result = await (handler as Handler<M, keyof M>)(req as never, ctx);
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}

/** A caller of a request map, whatever the transport underneath. */
export interface RpcClient<M extends RequestMap> {
  request<K extends keyof M & string>(
    method: K,
    params: ReqOf<M, K>,
    signal?: AbortSignal,
  ): Promise<ResOf<M, K>>;
}
