import type { SceneInfoJson } from '../../../shared/contract/imagery';
import type { RenderKind } from './imagery-layer';

/** What each render puts in the red, green and blue channels of the screen. */
export const RENDER_LABELS: Record<RenderKind, { title: string; channels: [string, string, string] }> = {
  truecolor: { title: 'True colour', channels: ['R', 'G', 'B'] },
  falsecolor: { title: 'False colour', channels: ['NIR', 'R', 'G'] },
};

export function renderLabel(render: RenderKind): string {
  const l = RENDER_LABELS[render];
  return `${l.title} (${l.channels.join('-')})`;
}

/** Why a render cannot be used for a scene, or null when it can. */
export function renderUnavailableReason(scene: SceneInfoJson, render: RenderKind): string | null {
  if (scene.availableRenders.includes(render)) return null;
  return render === 'falsecolor' ? 'needs a NIR band' : 'not available for this scene';
}

export const PROFILE_LABELS: Record<SceneInfoJson['profile'], string> = {
  naip: 'NAIP (R, G, B, NIR)',
  'sentinel2-l2a': 'Sentinel-2 L2A',
  rgb: 'RGB',
};
