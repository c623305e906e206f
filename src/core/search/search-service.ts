import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type {
  ProjectIndex,
  ProjectQuery,
  ProjectScene,
  QueryResult,
  RoiGeometry,
} from '../../shared/contract/search';
import type { Engine } from '../../engine/engine-client';
import { openField } from '../field/field-store';
import type { Scene } from '../imagery/scene';
import type { SceneRegistry } from '../imagery/scene-registry';
import type { ProfileId } from '../imagery/profiles';
import type { JobContext } from '../jobs/job-types';
import type { Pack } from '../packs/manifest';
import type { PackRegistry, PackSource } from '../packs/pack-registry';
import { Project } from '../project/project';
import { validateRoiGeometry } from '../project/roi-geometry';
import { runIndexJob, type IndexOptions, type IndexSummary } from './index-job';
import { runQueryOnFields, type QueryRoi, type QueryScene } from './query-engine';
import { ScoreCache } from './score-cache';
import { exampleVector } from './query-by-example';
import { classifyRoi, type ClassifyResult } from '../classify/classify-roi';
import { retrieveChips, type ChipQuery } from '../retrieve/run-retrieval';
import type { ChipRetrieval } from '../../shared/contract/search';

export interface SearchQuery {
  text?: string;
  /** Query by example: clicked points (label 1 positive, 0 negative). */
  points?: { lon: number; lat: number; label: 0 | 1 }[];
  packId?: string;
  sceneIds?: string[];
  roiId?: string;
  roi?: RoiGeometry;
  /** Name of an inline ROI (CLI: the file name). */
  roiName?: string;
  threshold?: number;
  topK?: number;
}

/** L2-normalises in float64; throws when the vector is zero. */
export function unitVector(v: Float32Array, what: string): Float32Array {
  let ss = 0;
  for (const x of v) ss += x * x;
  if (!(ss > 0) || !Number.isFinite(ss))
    throw new AppError('INVALID_INPUT', `${what}: the query vector is zero or not finite`);
  const inv = 1 / Math.sqrt(ss);
  return Float32Array.from(v, (x) => x * inv);
}

/**
 * Indexing and querying over one project: scenes are opened through the host's SceneRegistry,
 * inference goes through the Engine (never ONNX Runtime in this process), scores are cached per
 * (field state, query vector).
 */
/** Recent query results kept for follow-up work on them (segmenting, exporting). */
const KEEP_RESULTS = 20;

export class SearchService {
  readonly cache = new ScoreCache();
  private readonly results = new Map<string, QueryResult>();

  constructor(
    readonly project: Project,
    readonly scenes: SceneRegistry,
    readonly packs: PackRegistry,
    readonly engine: Engine,
  ) {}

  /** Adds (or finds) a scene in the project; opens it. */
  async addScene(
    sources: string[],
    profile?: ProfileId,
    signal?: AbortSignal,
  ): Promise<{ entry: ProjectScene; scene: Scene }> {
    // Always open with an explicit profile: sceneId() hashes the profile argument, so a detected
    // profile and the same one given explicitly would otherwise name one scene twice.
    const detected = profile ?? (await this.scenes.open(sources, {}, signal)).profile;
    const scene = await this.scenes.open(sources, { profile: detected }, signal);
    const entry: ProjectScene = {
      id: scene.id,
      sources: scene.sources,
      profile: scene.profile,
      name: scene.name,
    };
    await this.project.update((p) => {
      if (!p.scenes.some((s) => s.id === scene.id)) p.scenes.push(entry);
    }, signal);
    return { entry, scene };
  }

  /** An open scene of the project (opened from its recorded sources on first use). */
  async scene(sceneId: string, signal?: AbortSignal): Promise<Scene> {
    const entry = this.project.data.scenes.find((s) => s.id === sceneId);
    if (!entry)
      throw new AppError(
        'NOT_FOUND',
        `project ${this.project.dir} has no scene ${sceneId} (scenes: ${this.project.data.scenes.map((s) => `${s.id} ${s.name}`).join(', ') || 'none'})`,
      );
    return this.scenes.open(entry.sources, { profile: entry.profile }, signal);
  }

  async pack(packId: string, signal?: AbortSignal): Promise<Pack & { source: PackSource }> {
    return this.packs.get(packId, signal);
  }

  /** Indexes (or resumes) one scene with one pack; see runIndexJob. */
  async index(sceneId: string, packId: string, opts: IndexOptions, job: JobContext): Promise<IndexSummary> {
    const scene = await this.scene(sceneId, job.signal);
    const pack = await this.pack(packId, job.signal);
    return runIndexJob(this.project, scene, pack, this.engine, opts, job);
  }

  /** Chunk progress of the project's indexes. */
  async indexStatus(filter: { sceneId?: string; packId?: string } = {}, signal?: AbortSignal) {
    const out = [];
    for (const ix of this.project.data.indexes) {
      if ((filter.sceneId && ix.sceneId !== filter.sceneId) || (filter.packId && ix.packId !== filter.packId))
        continue;
      const f = await openField(this.project.resolve(ix.fieldDir), signal).catch(() => null);
      const done = f ? f.complete.reduce((a, b) => a + b, 0) : 0;
      out.push({
        sceneId: ix.sceneId,
        packId: ix.packId,
        rows: f?.meta.rows ?? 0,
        cols: f?.meta.cols ?? 0,
        chunksDone: done,
        chunksTotal: f?.complete.length ?? 0,
        complete: !!f && done === f.complete.length,
        jobId: null as string | null,
      });
    }
    return out;
  }

  /** The indexes a query runs over: pack chosen (or the only one indexed), scenes filtered. */
  private targets(
    packId: string | undefined,
    sceneIds: string[] | undefined,
  ): { packId: string; indexes: ProjectIndex[] } {
    const all = this.project.data.indexes;
    if (all.length === 0)
      throw new AppError(
        'NOT_INDEXED',
        `project ${this.project.dir}: nothing is indexed yet; run \`graft-workbench index ${this.project.dir} <imagery> --pack <id>\` first`,
      );
    const packs = [...new Set(all.map((i) => i.packId))];
    const chosen = packId ?? (packs.length === 1 ? packs[0] : undefined);
    if (!chosen)
      throw new AppError(
        'INVALID_INPUT',
        `project ${this.project.dir} is indexed with several packs (${packs.join(', ')}); choose one with --pack`,
      );
    let indexes = all.filter((i) => i.packId === chosen);
    if (sceneIds) {
      const missing = sceneIds.filter((id) => !indexes.some((i) => i.sceneId === id));
      if (missing.length)
        throw new AppError(
          'NOT_INDEXED',
          `scene(s) ${missing.join(', ')} are not indexed with pack ${chosen}; run \`graft-workbench index\` first`,
        );
      indexes = indexes.filter((i) => sceneIds.includes(i.sceneId));
    }
    if (indexes.length === 0)
      throw new AppError(
        'NOT_INDEXED',
        `project ${this.project.dir}: no scene is indexed with pack ${chosen} (indexed packs: ${packs.join(', ')}); run \`graft-workbench index ${this.project.dir} <imagery> --pack ${chosen}\``,
      );
    return { packId: chosen, indexes };
  }

  private async openTargets(indexes: ProjectIndex[], signal?: AbortSignal): Promise<QueryScene[]> {
    const out: QueryScene[] = [];
    for (const ix of indexes) {
      const field = await openField(this.project.resolve(ix.fieldDir), signal).catch((e: AppError) => {
        throw new AppError(
          'NOT_INDEXED',
          `scene ${ix.sceneId}: its index (${ix.fieldDir}) cannot be opened (${e.message}); re-run indexing`,
        );
      });
      const done = field.complete.reduce((a, b) => a + b, 0);
      if (done === 0) continue;
      out.push({ sceneId: ix.sceneId, field, complete: done === field.complete.length });
    }
    if (out.length === 0)
      throw new AppError(
        'NOT_INDEXED',
        `no chunk of ${indexes.map((i) => i.sceneId).join(', ')} is indexed yet; let indexing run (or resume it)`,
      );
    return out;
  }

  private roiFor(q: SearchQuery): QueryRoi | undefined {
    if (q.roiId) {
      const r = this.project.data.rois.find((x) => x.id === q.roiId);
      if (!r)
        throw new AppError(
          'NOT_FOUND',
          `no ROI ${q.roiId} in project ${this.project.dir} (ROIs: ${this.project.data.rois.map((x) => `${x.id} "${x.name}"`).join(', ') || 'none'})`,
        );
      return r;
    }
    if (q.roi)
      return {
        id: 'inline',
        name: q.roiName ?? 'ROI',
        geometry: validateRoiGeometry(q.roi, q.roiName ?? 'ROI'),
      };
    return undefined;
  }

  /** Runs a text or by-example query and records it in the project's history. */
  async query(q: SearchQuery, signal?: AbortSignal): Promise<QueryResult> {
    if (q.threshold !== undefined && q.topK !== undefined)
      throw new AppError('BAD_REQUEST', 'give either a threshold or a top-k, not both');
    await this.project.reload();
    const { packId, indexes } = this.targets(q.packId, q.sceneIds);
    const roi = this.roiFor(q);
    const scenes = await this.openTargets(indexes, signal);
    let vec: Float32Array;
    let label: string;
    if (q.points) {
      vec = await exampleVector(scenes, q.points, signal);
      const pos = q.points.filter((p) => p.label === 1).length;
      label = `by example (${pos}+, ${q.points.length - pos}−)`;
    } else {
      const text = (q.text ?? '').trim();
      if (!text) throw new AppError('BAD_REQUEST', 'empty query text');
      const pack = await this.pack(packId, signal);
      const enc = await this.engine.request(
        'engine.encodeText',
        { packId, packDir: pack.dir, texts: [text] },
        { signal },
      );
      const dim = scenes[0].field.meta.dim;
      if (enc.dim !== dim)
        throw new AppError(
          'PACK_INVALID',
          `pack ${packId}: text embeddings have ${enc.dim} dims, the index has ${dim}`,
        );
      vec = unitVector(enc.embeds, `"${text}"`);
      label = text;
    }
    throwIfAborted(signal);
    const queryId = Project.newId('q');
    const result = await runQueryOnFields(
      scenes,
      {
        queryId,
        label,
        packId,
        q: vec,
        threshold: q.threshold,
        topK: q.topK,
        roi,
        countRois: roi ? undefined : this.project.data.rois,
      },
      this.cache,
      signal,
    );
    const entry: ProjectQuery = {
      id: queryId,
      text: label,
      packId,
      threshold: result.threshold,
      topK: q.topK ?? null,
      roiId: q.roiId ?? (roi ? roi.id : null),
      count: result.detections.features.length,
      sceneIds: scenes.map((s) => s.sceneId),
      created: new Date().toISOString(),
    };
    await this.project.update((p) => {
      p.queries.push(entry);
    }, signal);
    this.results.set(queryId, result);
    for (const old of this.results.keys()) {
      if (this.results.size <= KEEP_RESULTS) break;
      this.results.delete(old);
    }
    return result;
  }

  /** A recent query's result by id (NOT_FOUND once it has aged out: run the query again). */
  result(queryId: string): QueryResult {
    const r = this.results.get(queryId);
    if (!r)
      throw new AppError(
        'NOT_FOUND',
        `query ${queryId} is not among the last ${KEEP_RESULTS} results: run it again`,
      );
    return r;
  }

  /**
   * Chip retrieval (src/core/retrieve): the best chips of the indexed scenes for a text or example
   * chips, by image-level embedding; pack, scenes and ROI chosen as for query().
   */
  async retrieveChips(
    q: Omit<ChipQuery, 'roi'> & Pick<SearchQuery, 'packId' | 'sceneIds' | 'roiId' | 'roi' | 'roiName'>,
    signal?: AbortSignal,
  ): Promise<ChipRetrieval> {
    await this.project.reload();
    const { packId, indexes } = this.targets(q.packId, q.sceneIds);
    const roi = this.roiFor(q);
    const pack = await this.pack(packId, signal);
    return retrieveChips(
      this.project,
      indexes,
      pack,
      { text: q.text, points: q.points, topK: q.topK, roi: roi?.geometry },
      this.engine,
      signal,
    );
  }

  /**
   * Zero-shot classification of an ROI (saved or inline) with an image-level pack (default: the
   * project's only indexed pack) on a scene (default: the first project scene the ROI overlaps).
   */
  async classify(
    req: { roiId?: string; roi?: RoiGeometry; labels: string[]; packId?: string; sceneId?: string },
    signal?: AbortSignal,
  ): Promise<ClassifyResult> {
    await this.project.reload();
    const roi = this.roiFor({ roiId: req.roiId, roi: req.roi });
    if (!roi) throw new AppError('BAD_REQUEST', 'classify needs an ROI (roiId or roi)');
    const packs = [...new Set(this.project.data.indexes.map((i) => i.packId))];
    const packId = req.packId ?? (packs.length === 1 ? packs[0] : undefined);
    if (!packId)
      throw new AppError(
        'INVALID_INPUT',
        `choose an image-level pack with --pack (indexed packs: ${packs.join(', ') || 'none'})`,
      );
    const pack = await this.pack(packId, signal);
    const polys = roi.geometry.type === 'Polygon' ? [roi.geometry.coordinates] : roi.geometry.coordinates;
    const lons = polys.flatMap((p) => p[0].map((v) => v[0]));
    const lats = polys.flatMap((p) => p[0].map((v) => v[1]));
    const box = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    let scene: Scene | undefined;
    for (const e of this.project.data.scenes) {
      if (req.sceneId && e.id !== req.sceneId) continue;
      const sc = await this.scene(e.id, signal);
      const b = sc.boundsWgs84;
      if (req.sceneId || (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) {
        scene = sc;
        break;
      }
    }
    if (!scene)
      throw new AppError(
        'INVALID_INPUT',
        `ROI "${roi.name}" does not intersect any scene of project ${this.project.dir}`,
      );
    return classifyRoi(scene, pack, roi.geometry, req.labels, this.engine, signal);
  }
}
