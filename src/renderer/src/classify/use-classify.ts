import { useCallback, useEffect, useState } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import type { RoiGeometry } from '../../../shared/contract/search';
import { useClient } from '../api/client-context';
import { errorText } from '../search/error-text';
import { classifyErrorText } from './classify-error';
import { callApi, type ApiRes, type PackSummary, type ProjectRoi } from '../search/search-api';

export const DEFAULT_LABELS = 'water, grass, trees, buildings, bare soil';

export type ClassifyResponse = ApiRes<'classify.run'>;

export interface ClassifyOutcome extends ClassifyResponse {
  roiId: string;
  roiName: string;
  /** The scene the chips were read from, as sent; null when the host chose it. */
  scene: { id: string; name: string } | null;
}

export interface ClassifyState {
  labels: string;
  setLabels(t: string): void;
  /** Packs that can classify (an image encoder and a text encoder). */
  packs: PackSummary[];
  packId: string;
  setPackId(id: string): void;
  busy: boolean;
  error: string | null;
  result: ClassifyOutcome | null;
  run(roi: ProjectRoi | null): Promise<void>;
}

/** The comma-separated label list: trimmed, empty and repeated entries dropped. */
export function parseLabels(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const l = raw.trim().replace(/\s+/g, ' ');
    if (l && !seen.has(l.toLowerCase())) {
      seen.add(l.toLowerCase());
      out.push(l);
    }
  }
  return out;
}

/** [west, south, east, north] of an ROI's outer rings. */
export function roiBbox(g: RoiGeometry): [number, number, number, number] {
  const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  const pts = rings.flat();
  return [
    Math.min(...pts.map((p) => p[0])),
    Math.min(...pts.map((p) => p[1])),
    Math.max(...pts.map((p) => p[0])),
    Math.max(...pts.map((p) => p[1])),
  ];
}

/** The first open scene of the project that the ROI's box overlaps (the one classify reads). */
export function sceneForRoi(
  roi: RoiGeometry,
  scenes: SceneInfoJson[],
  projectSceneIds: string[],
): SceneInfoJson | null {
  const [w, s, e, n] = roiBbox(roi);
  return (
    scenes.find(
      (sc) =>
        projectSceneIds.includes(sc.id) &&
        w < sc.boundsWgs84[2] &&
        e > sc.boundsWgs84[0] &&
        s < sc.boundsWgs84[3] &&
        n > sc.boundsWgs84[1],
    ) ?? null
  );
}

/**
 * Zero-shot classification of the selected ROI ('classify.run'): the label list, the pack
 * (image-level; default the Search tab's pack when it can classify) and the scene under the ROI
 * are sent explicitly, so the panel can say exactly what was used.
 */
export function useClassify(
  scenes: SceneInfoJson[],
  projectSceneIds: string[],
  searchPackId: string,
): ClassifyState {
  const client = useClient();
  const [labels, setLabels] = useState(DEFAULT_LABELS);
  const [packs, setPacks] = useState<PackSummary[]>([]);
  const [packId, setPackId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ClassifyOutcome | null>(null);

  useEffect(() => {
    callApi(client, 'packs.list', {}).then(
      (r) =>
        setPacks(
          r.packs.filter((p) => p.roles.includes('image_encoder') && p.roles.includes('text_encoder')),
        ),
      (err) => setError(`Model packs: ${errorText(err)}`),
    );
  }, [client]);

  // Follow the Search tab's pack while the user has not picked one here.
  const chosen = packId || (packs.some((p) => p.id === searchPackId) ? searchPackId : (packs[0]?.id ?? ''));

  const run = useCallback(
    async (roi: ProjectRoi | null) => {
      setError(null);
      if (!roi) return setError('Select an ROI above (or draw / import one) to classify it.');
      const list = parseLabels(labels);
      if (list.length < 2)
        return setError('Give at least two labels, comma separated (e.g. "water, grass").');
      if (list.length > 100) return setError(`At most 100 labels (${list.length} given).`);
      if (!chosen)
        return setError(
          'No installed pack can classify (it needs an image encoder and a text encoder): see the Models tab.',
        );
      const scene = sceneForRoi(roi.geometry, scenes, projectSceneIds);
      setBusy(true);
      try {
        const r = await callApi(client, 'classify.run', {
          roiId: roi.id,
          labels: list,
          packId: chosen,
          ...(scene ? { sceneId: scene.id } : {}),
        });
        setResult({
          ...r,
          roiId: roi.id,
          roiName: roi.name,
          scene: scene ? { id: scene.id, name: scene.name } : null,
        });
      } catch (err) {
        setResult(null);
        setError(classifyErrorText(err, packs.find((p) => p.id === chosen)?.source === 'starter'));
      } finally {
        setBusy(false);
      }
    },
    [client, labels, chosen, scenes, projectSceneIds, packs],
  );

  return { labels, setLabels, packs, packId: chosen, setPackId, busy, error, result, run };
}
