import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../src/apis/kubernetes/kubernetes-json-patch.js';
import { matchesLabels, parseLabelSelector } from '../src/apis/kubernetes/kubernetes-label-selector.js';
import { fieldSet, fromFieldsV1, toFieldsV1 } from '../src/apis/kubernetes/kubernetes-managed-fields.js';
import { strategicMerge } from '../src/apis/kubernetes/kubernetes-strategic-merge.js';

const pod = {
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'a', image: 'a:1', args: ['x', 'y'] },
          { name: 'b', image: 'b:1' },
        ],
        volumes: [{ name: 'v1' }, { name: 'v2' }],
      },
    },
  },
};

describe('strategic merge patch directives', () => {
  it('replaces atomic lists, merges keyed lists, honours $setElementOrder and $patch: replace', () => {
    const merged = strategicMerge(pod, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'c', image: 'c:1' },
              { name: 'a', args: ['z'] },
            ],
            '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }],
            volumes: [{ $patch: 'replace' }, { name: 'only' }],
          },
        },
      },
    }) as typeof pod;
    const spec = merged.spec.template.spec;
    expect(spec.containers.map((c) => c.name)).toEqual(['c', 'b', 'a']);
    expect(spec.containers.find((c) => c.name === 'a')).toEqual({ name: 'a', image: 'a:1', args: ['z'] });
    expect(spec.volumes).toEqual([{ name: 'only' }]);
  });

  it('supports $retainKeys, $deleteFromPrimitiveList and an object-level $patch: delete', () => {
    const merged = strategicMerge(
      {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        finalizers: ['a', 'b'],
        extra: { x: 1 },
      },
      {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        '$deleteFromPrimitiveList/finalizers': ['a'],
        extra: { $patch: 'delete' },
      },
    );
    expect(merged).toEqual({ strategy: { type: 'Recreate' }, finalizers: ['b'] });
  });

  it('rejects a keyed-list item without its merge key', () => {
    expect(() =>
      strategicMerge(pod, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
    ).toThrow(/merge key: name/);
  });
});

describe('JSON patch', () => {
  it('moves, copies and appends with -', () => {
    const result = applyJsonPatch({ a: { b: 1 }, list: [1] }, [
      { op: 'copy', from: '/a/b', path: '/c' },
      { op: 'move', from: '/a', path: '/d' },
      { op: 'add', path: '/list/-', value: 2 },
      { op: 'remove', path: '/list/0' },
    ]);
    expect(result).toEqual({ c: 1, d: { b: 1 }, list: [2] });
  });

  it('answers 400 for a malformed patch and 422 for a missing path', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/missing', value: 1 }])).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });
});

describe('label selectors', () => {
  it('parses equality and set-based requirements', () => {
    const requirements = parseLabelSelector('app=web, tier in (a, b),!legacy,env,version!=1');
    expect(matchesLabels(requirements, { app: 'web', tier: 'b', env: 'x', version: '2' })).toBe(true);
    expect(matchesLabels(requirements, { app: 'web', tier: 'c', env: 'x' })).toBe(false);
    expect(matchesLabels(requirements, { app: 'web', tier: 'a', env: 'x', legacy: 'y' })).toBe(false);
    expect(() => parseLabelSelector('a in b')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('managed field sets', () => {
  it('round-trips through FieldsV1 with keyed list items', () => {
    const fields = fieldSet({ apiVersion: 'apps/v1', metadata: { name: 'x', labels: { a: '1' } }, ...pod });
    const fieldsV1 = toFieldsV1(fields);
    expect(fieldsV1).toMatchObject({ 'f:metadata': { 'f:labels': { 'f:a': {} } } });
    expect(fieldsV1['f:metadata']).not.toHaveProperty('f:name');
    expect(fieldsV1).not.toHaveProperty('f:apiVersion');
    expect(fromFieldsV1(fieldsV1)).toEqual(fields);
  });
});
