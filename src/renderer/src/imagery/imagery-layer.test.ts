import { describe, expect, it } from 'vitest';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { layersReducer, type ImageryLayer } from './imagery-layer';

const scene = (id: string) => ({ id, name: `${id}.tif` }) as SceneInfoJson;
const ids = (ls: ImageryLayer[]) => ls.map((l) => l.scene.id);

describe('layersReducer', () => {
  it('puts new scenes on top and re-opening one brings it up without a duplicate', () => {
    let ls = layersReducer([], { type: 'add', scene: scene('a') });
    ls = layersReducer(ls, { type: 'add', scene: scene('b') });
    expect(ids(ls)).toEqual(['b', 'a']);
    ls = layersReducer(ls, { type: 'update', id: 'a', patch: { opacity: 0.5, visible: false } });
    ls = layersReducer(ls, { type: 'add', scene: scene('a') });
    expect(ids(ls)).toEqual(['a', 'b']);
    expect(ls[0]).toMatchObject({ opacity: 0.5, visible: true });
  });

  it('moves within bounds only and removes', () => {
    let ls = ['c', 'b', 'a'].reduceRight(
      (acc, id) => layersReducer(acc, { type: 'add', scene: scene(id) }),
      [] as ImageryLayer[],
    );
    expect(ids(ls)).toEqual(['c', 'b', 'a']);
    ls = layersReducer(ls, { type: 'move', id: 'c', by: -1 });
    expect(ids(ls)).toEqual(['c', 'b', 'a']);
    ls = layersReducer(ls, { type: 'move', id: 'c', by: 1 });
    expect(ids(ls)).toEqual(['b', 'c', 'a']);
    ls = layersReducer(ls, { type: 'remove', id: 'c' });
    expect(ids(ls)).toEqual(['b', 'a']);
  });

  it('restores the host list newest on top, skipping scenes already shown', () => {
    const ls = layersReducer(layersReducer([], { type: 'add', scene: scene('a') }), {
      type: 'restore',
      scenes: [scene('a'), scene('b'), scene('c')],
    });
    expect(ids(ls)).toEqual(['a', 'c', 'b']);
  });
});
