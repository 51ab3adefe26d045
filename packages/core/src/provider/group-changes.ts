import type { JsonValue } from '../resources/resource-spec.js';
import type { AttributeChange } from './provider.js';

/** Keys to set and keys to remove in one map attribute (tags, labels); values are strings, as clouds store them. */
export interface MapChange {
  set: Record<string, string>;
  remove: string[];
}

/** A patch split into plain attribute changes and per-key changes of map attributes. */
export interface GroupedChanges {
  /** Attribute name → desired value (undefined: unset). */
  plain: Map<string, JsonValue | undefined>;
  /** Attribute name → the value observed when planned (for a compare-and-set). */
  from: Map<string, JsonValue | undefined>;
  /** Map attribute → keys to set and keys to remove. */
  maps: Map<string, MapChange>;
}

/**
 * Group a patch's `changes` the way the provider contract sends them. The engine sends map keys one by
 * one (`tags.owner`; `to` undefined or null removes the key); a whole-map change (`tags` from {…} to {…},
 * from a direct caller) is turned into the same per-key form. Non-string map values are JSON-encoded.
 *
 * @example
 * const grouped = groupChanges(changes, ['tags']);
 * assertPatchable('acme.database', grouped, ['size', 'tags']);
 * const tags = effectiveMapChange(liveTags, grouped.maps.get('tags'));
 * if (tags) await api.tag(id, tags.set, tags.remove);
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
      else m.set[key] = asString(change.to);
      continue;
    }
    const before = toStringMap(change.from);
    const after = toStringMap(change.to);
    for (const [k, v] of Object.entries(after)) if (before[k] !== v) m.set[k] = v;
    for (const k of Object.keys(before)) if (!(k in after)) m.remove.push(k);
  }
  return { plain, from, maps };
}

/** What a live map looks like after a map change. */
export function applyMapChange(
  live: Record<string, string>,
  change: MapChange | undefined,
): Record<string, string> {
  const out = { ...live };
  if (!change) return out;
  for (const k of change.remove) delete out[k];
  Object.assign(out, change.set);
  return out;
}

/**
 * Keep only real map changes against the live map: keys whose live value differs, removals of keys that
 * exist. Undefined when nothing is left, so a caller can skip the write.
 */
export function effectiveMapChange(
  live: Record<string, string>,
  change: MapChange | undefined,
): MapChange | undefined {
  if (!change) return undefined;
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(change.set)) if (live[k] !== v) set[k] = v;
  const remove = change.remove.filter((k) => k in live && !(k in change.set));
  return Object.keys(set).length || remove.length ? { set, remove } : undefined;
}

const asString = (value: JsonValue): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A map attribute's value (tags, labels) as a string map: keys sorted, non-string values JSON-encoded, null
 * entries dropped, anything that is not an object empty.
 */
export function toStringMap(value: JsonValue | undefined): Record<string, string> {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    out[key] = asString(v);
  }
  return out;
}
