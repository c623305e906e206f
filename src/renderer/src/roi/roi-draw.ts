import type { Map as MlMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawPolygonMode, TerraDrawRectangleMode, TerraDrawSelectMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { RoiGeometry } from '../../../shared/contract/search';

export type DrawTool = 'rectangle' | 'polygon' | 'edit';

const EDIT_FLAGS = {
  feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } },
};

/**
 * Terra Draw on the map, used only while a shape is drawn or edited: a finished new shape is
 * handed to `onDrawn` and removed from Terra Draw (saved ROIs are drawn by RoiLayer), and an
 * edited one reports each change through `onEdited`.
 */
export class RoiDraw {
  private readonly draw: TerraDraw;
  private editing: { drawId: string; roiId: string } | null = null;

  constructor(
    map: MlMap,
    private readonly onDrawn: (g: RoiGeometry) => void,
    private readonly onEdited: (roiId: string, g: RoiGeometry) => void,
  ) {
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'roi-draw' }),
      modes: [
        new TerraDrawRectangleMode(),
        new TerraDrawPolygonMode(),
        new TerraDrawSelectMode({ flags: { polygon: EDIT_FLAGS, rectangle: EDIT_FLAGS } }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id, ctx) => {
      const f = this.draw.getSnapshotFeature(id);
      if (!f || f.geometry.type !== 'Polygon') return;
      const geometry = { type: 'Polygon' as const, coordinates: f.geometry.coordinates as number[][][] };
      if (ctx.action === 'draw') {
        this.draw.removeFeatures([id]);
        this.draw.setMode('static');
        this.onDrawn(geometry);
      } else if (this.editing && this.editing.drawId === String(id)) {
        this.onEdited(this.editing.roiId, geometry);
      }
    });
  }

  /** Starts drawing a new rectangle/polygon. */
  start(tool: Exclude<DrawTool, 'edit'>): void {
    this.endEdit();
    this.draw.setMode(tool);
  }

  /** Puts a saved Polygon ROI into Terra Draw's select mode so its vertices can be dragged. */
  edit(roiId: string, geometry: RoiGeometry): void {
    this.endEdit();
    if (geometry.type !== 'Polygon') return;
    const drawId = crypto.randomUUID();
    this.draw.setMode('select');
    this.draw.addFeatures([
      {
        id: drawId,
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: geometry.coordinates as [number, number][][] },
        properties: { mode: 'polygon' },
      },
    ]);
    this.draw.selectFeature(drawId);
    this.editing = { drawId, roiId };
  }

  /** Esc: drops a half-drawn shape (Terra Draw's own mode cleanup) and leaves any edit. */
  cancel(): void {
    this.endEdit();
    this.draw.setMode('static');
  }

  /** The tool in use, or null when nothing is being drawn or edited. */
  tool(): DrawTool | null {
    const m = this.draw.getMode();
    return m === 'select' ? 'edit' : m === 'rectangle' || m === 'polygon' ? m : null;
  }

  dispose(): void {
    try {
      this.draw.stop();
    } catch {
      /* the map is already gone */
    }
  }

  private endEdit(): void {
    if (!this.editing) return;
    const { drawId } = this.editing;
    this.editing = null;
    try {
      this.draw.deselectFeature(drawId);
    } catch {
      /* not selected */
    }
    if (this.draw.getSnapshotFeature(drawId)) this.draw.removeFeatures([drawId]);
    this.draw.setMode('static');
  }
}
