import type { Requests } from '../../../shared/contract';
import type { packsRequests } from '../../../shared/contract/packs';
import type { searchRequests } from '../../../shared/contract/search';
import type { segmentRequests } from '../../../shared/contract/segment';
import type { ReqOf, ResOf } from '../../../shared/rpc';
import type { Client } from '../api/client';
import { RemoteError } from '../api/transport';

/**
 * Every request the search loop uses, typed from the contract's parts. The loop calls through
 * this map rather than `client.request` so it type-checks against search/segment/packs schemas
 * whether or not the merged contract map already spreads them (the transport is untyped anyway).
 */
export type ApiMap = Requests & typeof searchRequests & typeof segmentRequests & typeof packsRequests;
export type ApiMethod = keyof ApiMap & string;
export type ApiReq<K extends ApiMethod> = ReqOf<ApiMap, K>;
export type ApiRes<K extends ApiMethod> = ResOf<ApiMap, K>;

/** Calls a contract method; a host error is thrown as a RemoteError carrying its code. */
export async function callApi<K extends ApiMethod>(
  client: Client,
  method: K,
  params: ApiReq<K>,
  signal?: AbortSignal,
): Promise<ApiRes<K>> {
  const outcome = await client.transport.call(method, params, signal);
  if (!outcome.ok) throw RemoteError.from(outcome.error);
  return outcome.result as ApiRes<K>;
}

export type QueryResult = ApiRes<'query.run'>;
export type SceneScores = QueryResult['scenes'][number];
export type TopPatch = QueryResult['topK'][number];
export type RoiCount = QueryResult['counts'][number];
export type ProjectInfo = ApiRes<'project.open'>;
export type ProjectRoi = ApiRes<'roi.add'>;
export type ProjectQuery = ApiRes<'query.history'>[number];
export type PackSummary = ApiRes<'packs.list'>['packs'][number];
export type IndexStatus = ApiRes<'index.status'>[number];
export type SegmentPointsResult = ApiRes<'segment.points'>;
export type ObjectFeature = SegmentPointsResult['features']['features'][number];
