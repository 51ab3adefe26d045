import { isDeepStrictEqual } from 'node:util';
import { type AttributeChange, type JsonValue, ValidationError } from '@patchbay/core';
import { type LabelMap, toLabelMap } from './gcp-labels.js';

/** A patch split into plain attribute changes and per-key changes of map attributes (labels). */
export interface GroupedChanges {
  /** Attribute name → desired value (undefined: unset). */
  plain: Map<string, JsonValue | undefined>;
  /** Attribute name → the value observed when planned. */
  from: Map<string, JsonValue | undefined>;
  /** Map attribute → keys to set and keys to remove. */
  maps: Map<string, MapChange>;
}

export interface MapChange {
  set: LabelMap;
  remove: string[];
}

/**
 * Group changes. The engine sends map keys one by one (`labels.owner`, `to === undefined` removes the
 * key); a whole-map change (`labels` from {…} to {…}) is turned into the same per-key form.
 */
export function groupChanges(
  changes: readonly AttributeChange[],
  mapAttributes: readonly string[],
): GroupedChanges {
  const plain = new Map<string, JsonValue | undefined>();
  const from = new Map<string, JsonValue | undefined>();
  const maps = new Map<string, MapChange>();
  for (const change of changes) {
    const dot = change.attribute.indexOf('.');
    const head = dot === -1 ? change.attribute : change.attribute.slice(0, dot);
    if (!mapAttributes.includes(head)) {
      plain.set(change.attribute, change.to);
      from.set(change.attribute, change.from);
      continue;
    }
    let m = maps.get(head);
    if (!m) {
      m = { set: {}, remove: [] };
      maps.set(head, m);
    }
    if (dot !== -1) {
      const key = change.attribute.slice(dot + 1);
      if (change.to === undefined || change.to === null) m.remove.push(key);
      else m.set[key] = typeof change.to === 'string' ? change.to : JSON.stringify(change.to);
      continue;
    }
    const before = toLabelMap(change.from);
    const after = toLabelMap(change.to);
    for (const [k, v] of Object.entries(after)) if (before[k] !== v) m.set[k] = v;
    for (const k of Object.keys(before)) if (!(k in after)) m.remove.push(k);
  }
  return { plain, from, maps };
}

/** What a live map looks like after a map change. */
export function applyMapChange(live: LabelMap, change: MapChange | undefined): LabelMap {
  const out = { ...live };
  if (!change) return out;
  for (const k of change.remove) delete out[k];
  Object.assign(out, change.set);
  return out;
}

/** Keep only real map changes: keys whose live value differs, removals of keys that exist. */
export function effectiveMapChange(live: LabelMap, change: MapChange | undefined): MapChange | undefined {
  if (!change) return undefined;
  const set: LabelMap = {};
  for (const [k, v] of Object.entries(change.set)) if (live[k] !== v) set[k] = v;
  const remove = change.remove.filter((k) => k in live && !(k in change.set));
  return Object.keys(set).length || remove.length ? { set, remove } : undefined;
}

/** Throw a ValidationError (before any write) for attributes this type cannot patch in place. */
export function assertPatchable(type: string, grouped: GroupedChanges, patchable: readonly string[]): void {
  const bad = [...grouped.plain.keys(), ...grouped.maps.keys()].filter((a) => !patchable.includes(a));
  if (bad.length === 0) return;
  throw new ValidationError(
    `${type} patch`,
    bad.map((attribute) => ({
      path: [attribute],
      message: 'cannot be changed in place (it is create-only or unknown to this type)',
      allowed: patchable,
    })),
  );
}

/** True when `to` differs from the live value (so a write is needed). */
export function differs(live: JsonValue | undefined, to: JsonValue | undefined): boolean {
  return !isDeepStrictEqual(live ?? null, to ?? null);
}
