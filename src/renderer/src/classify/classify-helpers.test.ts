import { describe, expect, it } from 'vitest';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { RemoteError } from '../api/transport';
import { classifyErrorText } from './classify-error';
import { parseLabels, sceneForRoi } from './use-classify';

describe('classify helpers', () => {
  it('parses a comma-separated label list: trimmed, blanks and repeats dropped', () => {
    expect(parseLabels(' water, grass ,, Water,bare   soil, ')).toEqual(['water', 'grass', 'bare soil']);
  });

  it('picks the first open project scene whose bounds the ROI overlaps', () => {
    const sc = (id: string, b: [number, number, number, number]) =>
      ({ id, name: id, boundsWgs84: b }) as unknown as SceneInfoJson;
    const roi = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [10.1, 50.1],
          [10.2, 50.1],
          [10.2, 50.2],
          [10.1, 50.1],
        ],
      ],
    };
    const scenes = [
      sc('far', [0, 0, 1, 1]),
      sc('notInProject', [10, 50, 11, 51]),
      sc('hit', [10, 50, 11, 51]),
    ];
    expect(sceneForRoi(roi, scenes, ['far', 'hit'])?.id).toBe('hit');
    expect(sceneForRoi(roi, scenes, ['far'])).toBeNull();
  });

  it('names the unknown label and the starter concepts; other errors pass through', () => {
    const err = new RemoteError(
      'UNKNOWN_CONCEPT',
      'unknown word(s) "flamingos" in "flamingos": the starter pack knows: water, pond, ponds; install a GRAFT pack for open vocabulary',
    );
    const msg = classifyErrorText(err, true);
    expect(msg).toMatch(
      /^Not a starter-pack concept — unknown word\(s\) "flamingos" in "flamingos"\. It knows these concepts: water \(pond/,
    );
    expect(msg).toContain('snow (');
    expect(classifyErrorText(new RemoteError('NOT_FOUND', 'no ROI r1'), true)).toBe('no ROI r1');
  });
});
