import { AppError } from '../../shared/errors';
import type { SearchMethod, SearchReq, SearchRes } from '../../shared/contract/search';
import type { Engine } from '../../engine/engine-client';
import type { SceneRegistry } from '../imagery/scene-registry';
import type { JobRunner } from '../jobs/job-runner';
import type { PackRegistry } from '../packs/pack-registry';
import { Project } from '../project/project';
import { parseRoiGeoJson, validateRoiGeometry } from '../project/roi-geometry';
import { SearchService } from './search-service';
import { gridFor } from './index-job';

export interface SearchHandlerDeps {
  scenes: SceneRegistry;
  packs: PackRegistry;
  engine: Engine;
  jobs: JobRunner;
  /** Shared with other handlers (segmenting a query's detections): the host's open project, if any. */
  state?: SearchState;
}

/** The search service of the host's current project (null until project.open). */
export interface SearchState {
  svc: SearchService | null;
}

type Ctx = { signal: AbortSignal };
export type SearchHandlers = { [M in SearchMethod]: (req: SearchReq<M>, ctx: Ctx) => Promise<SearchRes<M>> };

const info = (p: Project) => ({ ...p.data, dir: p.dir });

/**
 * Handlers of the project/index/query/roi/classify requests (src/shared/contract/search.ts) over
 * the host's current project (the last project.open). Indexing runs as a JobRunner job.
 */
export function searchHandlers(deps: SearchHandlerDeps): SearchHandlers {
  const state: SearchState = deps.state ?? { svc: null };
  const running = new Map<string, string>(); // "<scene>\0<pack>" → jobId
  const current = (): SearchService => {
    if (!state.svc) throw new AppError('NOT_FOUND', 'no project is open: call project.open first');
    return state.svc;
  };

  return {
    'project.open': async ({ dir, create }, { signal }) => {
      const project = await Project.open(dir, { create }, signal);
      state.svc = new SearchService(project, deps.scenes, deps.packs, deps.engine);
      return info(project);
    },
    'project.get': async () => info(current().project),
    'project.addScene': async ({ sources, profile }, { signal }) =>
      (await current().addScene(sources, profile, signal)).entry,
    'index.start': async ({ sceneId, packId, forceGsd }, { signal }) => {
      const s = current();
      const key = `${sceneId}\u0000${packId}`;
      const have = running.get(key);
      if (have && deps.jobs.get(have)?.state === 'running') return { jobId: have };
      // Validate before starting a job, so a bad request fails the request itself.
      gridFor(await s.scene(sceneId, signal), await s.pack(packId, signal), { forceGsd });
      const job = deps.jobs.start('index', `Index ${sceneId} with ${packId}`, (ctx) =>
        s.index(sceneId, packId, { forceGsd }, ctx),
      );
      running.set(key, job.jobId);
      return { jobId: job.jobId };
    },
    'index.status': async (req, { signal }) => {
      const rows = await current().indexStatus(req, signal);
      return rows.map((r) => {
        const id = running.get(`${r.sceneId}\u0000${r.packId}`);
        return { ...r, jobId: id && deps.jobs.get(id)?.state === 'running' ? id : null };
      });
    },
    'query.run': async (req, { signal }) => current().query(req, signal),
    'query.byExample': async (req, { signal }) => current().query({ ...req, points: req.points }, signal),
    'query.history': async () => [...(await current().project.reload()).queries].reverse(),
    'roi.list': async () => (await current().project.reload()).rois,
    'roi.add': async ({ name, geometry }, { signal }) => {
      const roi = {
        id: Project.newId('roi'),
        name,
        geometry: validateRoiGeometry(geometry, `ROI "${name}"`),
      };
      await current().project.update((p) => void p.rois.push(roi), signal);
      return roi;
    },
    'roi.update': async ({ id, name, geometry }, { signal }) => {
      const g = geometry === undefined ? undefined : validateRoiGeometry(geometry, `ROI ${id}`);
      return current().project.update((p) => {
        const r = p.rois.find((x) => x.id === id);
        if (!r) throw new AppError('NOT_FOUND', `no ROI ${id}`);
        if (name !== undefined) r.name = name;
        if (g) r.geometry = g;
        return { ...r };
      }, signal);
    },
    'roi.delete': async ({ id }, { signal }) =>
      current().project.update((p) => {
        const n = p.rois.length;
        p.rois = p.rois.filter((r) => r.id !== id);
        return { deleted: p.rois.length < n };
      }, signal),
    'roi.import': async ({ geojson, name }, { signal }) => {
      const rois = parseRoiGeoJson(geojson, name ?? 'GeoJSON', name ?? 'ROI').map((r) => ({
        id: Project.newId('roi'),
        ...r,
      }));
      await current().project.update((p) => void p.rois.push(...rois), signal);
      return rois;
    },
    'classify.run': async (req, { signal }) => current().classify(req, signal),
    'query.chips': async (req, { signal }) => current().retrieveChips(req, signal),
  };
}
