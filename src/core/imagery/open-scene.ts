import crypto from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { acquisitionDate } from './acquisition-date';
import {
  PROFILES,
  baselineFromName,
  bandFromFileName,
  detectProfile,
  s2BaselineOffset,
  type ProfileId,
} from './profiles';
import { isUrl, openRasterSource, type RasterSource } from './raster-source';
import { Scene, type BandRef, type SceneLevel } from './scene';
import { isStacSource, loadStacItem, selectStacAssets, type StacSelection } from './stac';
import { computeStretch } from './stretch';

export interface OpenSceneOptions {
  profile?: ProfileId;
}

/** Stable id of a scene: a hash of its resolved sources and profile. */
export function sceneId(sources: string[], profile?: ProfileId): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([sources, profile ?? null]))
    .digest('hex')
    .slice(0, 16);
}

/** Absolute path for local sources (so ids do not depend on the working directory), URLs as they are. */
export function normaliseSource(s: string): string {
  return isUrl(s) || s.startsWith('file://') ? s : path.resolve(s);
}

/**
 * Opens a scene from one GeoTIFF/COG (path or URL), several single-band files of one scene
 * (stacked virtually; they must share size, transform and CRS) or one STAC item JSON.
 * Reads headers and a small overview for the stretch; never the whole raster.
 */
export async function openScene(
  sources: string[],
  opts: OpenSceneOptions = {},
  signal?: AbortSignal,
): Promise<Scene> {
  if (sources.length === 0) throw new AppError('BAD_REQUEST', 'openScene: no sources given');
  const normalised = sources.map(normaliseSource);
  let stac: StacSelection | null = null;
  let hrefs = normalised;
  if (normalised.length === 1 && isStacSource(normalised[0])) {
    stac = selectStacAssets(await loadStacItem(normalised[0], signal), normalised[0]);
    hrefs = stac.hrefs;
  } else if (normalised.some(isStacSource)) {
    throw new AppError('BAD_REQUEST', 'a STAC item must be opened on its own, not mixed with raster files');
  }
  const rasters: RasterSource[] = [];
  try {
    for (const href of hrefs) {
      throwIfAborted(signal);
      rasters.push(await openRasterSource(href, signal));
    }
    checkSameGrid(rasters);
    // Base names only: a folder called naip/ says nothing about the file inside it.
    const names = [...normalised, ...hrefs].map((h) => h.split(/[\\/]/).pop() ?? h);
    const profile =
      opts.profile ??
      detectProfile({
        names,
        dataType: rasters[0].dataType,
        bandCount: rasters.reduce((n, r) => n + r.bandCount, 0),
        stacConstellation: stac?.constellation,
      });
    const bandRefs = buildBands(rasters, profile, stac);
    const levels = sharedLevels(rasters);
    const date = acquisitionDate({
      stacDatetime: stac?.datetime,
      metadata: rasters[0].metadata,
      names,
      tiffDateTime: rasters[0].tiffDateTime,
    });
    const name = stac
      ? stac.id
      : rasters.length === 1
        ? rasters[0].name
        : `${rasters[0].name} +${rasters.length - 1}`;
    // The resolved profile, not the requested one: the same file opened with or without an explicit
    // profile is the same scene (projects and the UI must agree on ids).
    const scene = new Scene(
      sceneId(normalised, profile),
      name,
      normalised,
      profile,
      rasters,
      bandRefs,
      levels,
      date,
    );
    scene.stretch = await computeStretch(scene, signal);
    return scene;
  } catch (err) {
    for (const r of rasters) r.close();
    throw err;
  }
}

function checkSameGrid(rasters: RasterSource[]): void {
  const a = rasters[0];
  for (const b of rasters.slice(1)) {
    const tol = Math.abs(a.geoTransform[1]) * 1e-6;
    const sameGt = a.geoTransform.every((v, i) => Math.abs(v - b.geoTransform[i]) <= tol);
    const sameCrs = a.crs.epsg === b.crs.epsg && a.crs.proj4 === b.crs.proj4;
    if (a.width !== b.width || a.height !== b.height || !sameGt || !sameCrs) {
      const desc = (r: RasterSource) =>
        `${r.width}×${r.height} px at ${Math.abs(r.geoTransform[1])} units, EPSG:${r.crs.epsg ?? '?'}, origin ${r.geoTransform[0]},${r.geoTransform[3]}`;
      throw new AppError(
        'INVALID_INPUT',
        `${b.name}: grid (${desc(b)}) does not match ${a.name} (${desc(a)}); band files of one scene must share size, transform and CRS`,
      );
    }
  }
}

/** Levels whose size exists in every source (the full resolution always does). */
function sharedLevels(rasters: RasterSource[]): SceneLevel[] {
  return rasters[0].levels
    .map((lv) => ({
      width: lv.width,
      height: lv.height,
      perSource: rasters.map((r) =>
        r.levels.findIndex((l) => l.width === lv.width && l.height === lv.height),
      ),
    }))
    .filter((lv) => lv.perSource.every((i) => i >= 0));
}

function buildBands(rasters: RasterSource[], profile: ProfileId, stac: StacSelection | null): BandRef[] {
  const refs: BandRef[] = [];
  const baseline =
    stac?.processingBaseline ??
    rasters[0].metadata.PROCESSING_BASELINE ??
    baselineFromName(rasters.map((r) => r.href).join(' '));
  rasters.forEach((r, s) => {
    const names =
      stac?.bandNames[s] ??
      (r.bandCount === 1 ? [bandFromFileName(r.name)] : (PROFILES[profile].bandsForCount(r.bandCount) ?? []));
    const rb = stac?.rasterBands[s];
    let scale = 1;
    let offset = 0;
    if (profile === 'sentinel2-l2a') {
      // Reflectance = (DN + BOA_ADD_OFFSET) / 10000; STAC raster:bands, when it carries an offset, is authoritative.
      const metaOffset = Number(r.metadata.BOA_ADD_OFFSET);
      const dnOffset =
        Number.isFinite(metaOffset) && r.metadata.BOA_ADD_OFFSET ? metaOffset : s2BaselineOffset(baseline);
      scale = rb?.scale ?? 1e-4;
      offset = rb?.offset ? rb.offset : dnOffset * scale;
    }
    for (let k = 0; k < r.bandCount; k++) {
      refs.push({
        name: names[k] ?? `b${refs.length + 1}`,
        dataType: r.dataType,
        source: s,
        sample: k,
        scale,
        offset,
      });
    }
  });
  const seen = new Set<string>();
  for (const b of refs) {
    if (seen.has(b.name)) b.name = `${b.name}_${b.source + 1}`;
    seen.add(b.name);
  }
  return refs;
}
