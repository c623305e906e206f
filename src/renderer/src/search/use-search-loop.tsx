import type { Map as MlMap } from 'maplibre-gl';
import { useEffect } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import type { PanelTab } from '../panels/side-panel';
import { useProject } from '../project/use-project';
import { RoiPanel } from '../roi/roi-panel';
import { useRois } from '../roi/use-rois';
import { ClassifyPanel } from '../classify/classify-panel';
import { useClassify } from '../classify/use-classify';
import { ExampleSection } from '../example/example-section';
import { useExample } from '../example/use-example';
import { SegmentPanel } from '../segment/segment-panel';
import { useSegment } from '../segment/use-segment';
import { SearchPanel } from './search-panel';
import { useSearch } from './use-search';
import { useLatest } from './use-latest';

/** True when a key press belongs to a text field, not to the map. */
function inField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

/**
 * The search loop's state (project, query, ROIs, segmentation) kept at the App level so it
 * survives tab switches, and its three panel tabs. Keys: Esc cancels drawing / the segment
 * tool / "Find similar", Delete removes the selected instance, else the selected ROI. One map
 * click tool at a time: turning one on turns the others off.
 */
export function useSearchLoop(map: MlMap | null, scenes: SceneInfoJson[]): { tabs: PanelTab[] } {
  const project = useProject();
  const search = useSearch(map, scenes, project);
  const rerun = useLatest(search.rerun);
  const rois = useRois(map, project.project?.dir ?? null, () => {
    void rerun.current();
    void project.refresh();
  });
  const seg = useSegment(map, scenes, search.result?.text ?? '');
  const ex = useExample(map, scenes, search);
  const projectSceneIds = (project.project?.scenes ?? []).map((s) => s.id);
  const cls = useClassify(scenes, projectSceneIds, search.packId);
  const keys = useLatest({ rois, seg, ex });

  useEffect(() => {
    const { ex: x } = keys.current;
    if ((seg.toolOn || rois.tool) && x.on) x.setOn(false);
  }, [seg.toolOn, rois.tool, keys]);
  useEffect(() => {
    const { rois: r, seg: s } = keys.current;
    if (!ex.on) return;
    if (s.toolOn) s.setToolOn(false);
    if (r.tool) r.cancelDraw();
  }, [ex.on, keys]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { rois: r, seg: s, ex: x } = keys.current;
      if (e.key === 'Escape') {
        if (r.tool) r.cancelDraw();
        if (s.toolOn) s.setToolOn(false);
        if (x.on) x.setOn(false);
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && !inField(e.target) && r.tool !== 'edit') {
        if (s.selected) s.remove(s.selected);
        else if (r.selectedId) void r.remove(r.selectedId);
        else return;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);

  const dir = project.project?.dir ?? null;
  return {
    tabs: [
      {
        id: 'search',
        title: 'Search',
        render: () => (
          <SearchPanel search={search} scenes={scenes} project={project}>
            <ExampleSection ex={ex} running={search.running} />
          </SearchPanel>
        ),
      },
      {
        id: 'rois',
        title: 'ROIs',
        render: () => (
          <RoiPanel rois={rois} result={search.result} running={search.running}>
            <ClassifyPanel cls={cls} roi={rois.rois.find((r) => r.id === rois.selectedId) ?? null} />
          </RoiPanel>
        ),
      },
      {
        id: 'segment',
        title: 'Segment',
        render: () => <SegmentPanel seg={seg} result={search.result} projectDir={dir} />,
      },
    ],
  };
}
