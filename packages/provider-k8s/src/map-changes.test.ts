import { describe, expect, it } from 'vitest';
import { mapChanges } from './map-changes.js';

describe('mapChanges', () => {
  it('turns per-key changes of one map into a merge patch; a removed key is null', () => {
    const patch = mapChanges(
      [
        { attribute: 'labels.team', from: 'a', to: 'b' },
        { attribute: 'labels.old', from: 'x', to: undefined },
        { attribute: 'selector.app', from: undefined, to: 'api' },
        { attribute: 'replicas', from: 1, to: 2 },
      ],
      'labels',
    );
    expect(patch).toEqual({ team: 'b', old: null });
  });

  it('turns a whole-map change into the keys that change, leaving unchanged keys out', () => {
    const patch = mapChanges(
      [{ attribute: 'labels', from: { a: '1', b: '2' }, to: { a: '1', c: '3' } }],
      'labels',
    );
    expect(patch).toEqual({ b: null, c: '3' });
  });

  it('is empty when the map is untouched', () => {
    expect(mapChanges([{ attribute: 'replicas', from: 1, to: 2 }], 'labels')).toEqual({});
  });
});
