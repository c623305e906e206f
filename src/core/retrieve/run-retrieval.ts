import { AppError } from '../../shared/errors';
import type { ChipRetrieval, ProjectIndex, RoiGeometry } from '../../shared/contract/search';
import type { Engine } from '../../engine/engine-client';
import { openField } from '../field/field-store';
import type { Pack } from '../packs/manifest';
import type { Project } from '../project/project';
import { exampleVector } from '../search/query-by-example';
import { openChipField } from './chip-field';
import { scoreChips, topChips, type ChipTarget } from './retrieve-chips';

export const DEFAULT_TOP_K = 20;

export interface ChipQuery {
  text?: string;
  /** Example chips: the chips under these WGS84 points (label 1 positive, 0 negative). */
  points?: { lon: number; lat: number; label: 0 | 1 }[];
  topK?: number;
  roi?: RoiGeometry;
}

const unit = (v: Float32Array, what: string): Float32Array => {
  let ss = 0;
  for (const x of v) ss += x * x;
  if (!(ss > 0) || !Number.isFinite(ss))
    throw new AppError('INVALID_INPUT', `${what}: the query vector is zero or not finite`);
  const inv = 1 / Math.sqrt(ss);
  return Float32Array.from(v, (x) => x * inv);
};

/** Opens the patch and chip fields of the indexes; refuses indexes without chip embeddings. */
export async function openChipTargets(
  project: Project,
  indexes: ProjectIndex[],
  signal?: AbortSignal,
): Promise<ChipTarget[]> {
  const out: ChipTarget[] = [];
  const without: string[] = [];
  for (const ix of indexes) {
    const patch = await openField(project.resolve(ix.fieldDir), signal).catch((e: AppError) => {
      throw new AppError(
        'NOT_INDEXED',
        `scene ${ix.sceneId}: its index (${ix.fieldDir}) cannot be opened (${e.message}); re-run indexing`,
      );
    });
    const chips = await openChipField(patch.dir, `scene ${ix.sceneId}`, signal);
    if (!chips) {
      without.push(ix.sceneId);
      continue;
    }
    if (chips.complete.some((c) => c === 1)) out.push({ sceneId: ix.sceneId, patch, chips });
  }
  if (without.length)
    throw new AppError(
      'NOT_INDEXED',
      `scene(s) ${without.join(', ')} were indexed with pack ${indexes[0].packId} without chip embeddings (indexed with --no-chips, or before chip retrieval existed); ` +
        `re-index with --reindex to enable chip retrieval (\`graft-workbench index ${project.dir} <imagery> --pack ${indexes[0].packId} --reindex\`)`,
    );
  if (out.length === 0)
    throw new AppError(
      'NOT_INDEXED',
      `no chip of ${indexes.map((i) => i.sceneId).join(', ')} is indexed yet; let indexing run (or resume it)`,
    );
  return out;
}

/**
 * Chip retrieval: ranks the chips of the indexed scenes by the cosine between their image-level
 * embedding (stored at indexing, see chip-field.ts) and the query, a text through the pack's
 * text encoder or the mean of example chips (positives minus negatives), and returns the best
 * `topK` with WGS84 footprints. With an ROI, only chips whose footprint touches it.
 */
export async function retrieveChips(
  project: Project,
  indexes: ProjectIndex[],
  pack: Pack,
  q: ChipQuery,
  engine: Engine,
  signal?: AbortSignal,
): Promise<ChipRetrieval> {
  const m = pack.manifest;
  if (!m.roles.image_encoder)
    throw new AppError(
      'UNSUPPORTED',
      `pack ${m.id} has no image encoder (it has: ${Object.keys(m.roles).join(', ')}); chip retrieval needs an image-level pack`,
    );
  const text = q.text?.trim();
  if (!!text === !!q.points)
    throw new AppError('BAD_REQUEST', 'chip retrieval needs either a query text or example points, not both');
  const targets = await openChipTargets(project, indexes, signal);
  const dim = targets[0].chips.meta.dim;
  let vec: Float32Array;
  let label: string;
  if (q.points) {
    vec = await exampleVector(
      targets.map((t) => ({ sceneId: t.sceneId, field: t.chips, complete: true })),
      q.points,
      signal,
    );
    const pos = q.points.filter((p) => p.label === 1).length;
    label = `by example (${pos}+, ${q.points.length - pos}−)`;
  } else {
    if (!m.roles.text_encoder)
      throw new AppError(
        'UNSUPPORTED',
        `pack ${m.id} has no text encoder; retrieve by example chips instead`,
      );
    const enc = await engine.request(
      'engine.encodeText',
      { packId: m.id, packDir: pack.dir, texts: [text!] },
      { signal },
    );
    if (enc.dim !== dim)
      throw new AppError(
        'PACK_INVALID',
        `pack ${m.id}: text embeddings have ${enc.dim} dims, the chip embeddings have ${dim}`,
      );
    vec = unit(enc.embeds, `"${text}"`);
    label = text!;
  }
  const scored = await scoreChips(targets, vec, q.roi, signal);
  const searched = scored.reduce(
    (a, s) => a + s.scores.reduce((n, v) => n + (Number.isNaN(v) ? 0 : 1), 0),
    0,
  );
  return {
    packId: m.id,
    query: label,
    chipsSearched: searched,
    sceneIds: targets.map((t) => t.sceneId),
    chips: topChips(targets, scored, q.topK ?? DEFAULT_TOP_K),
  };
}
