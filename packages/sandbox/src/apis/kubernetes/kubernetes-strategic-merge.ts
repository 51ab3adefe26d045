import { ApiError } from '../../core/api-error.js';
import { listMergeKey } from './kubernetes-list-keys.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Strategic merge patch, as kube-apiserver applies `application/strategic-merge-patch+json`:
 * objects merge key by key (`null` deletes), lists with a merge key (containers, env, volumes,
 * ports… see `listMergeKey`) merge item by item, other lists are replaced.
 *
 * Directives honoured: `$patch: replace | delete` on objects and list items, `$retainKeys`,
 * `$setElementOrder/<list>` (ordering of merged lists) and `$deleteFromPrimitiveList/<list>`.
 * Not modelled: `merge` strategy on primitive lists (e.g. finalizers) — such lists are replaced.
 */
export function strategicMerge(target: unknown, patch: unknown, path: readonly string[] = []): unknown {
  if (!isObject(patch)) return stripDirectives(patch);
  if (patch.$patch === 'replace') return stripDirectives(withoutKey(patch, '$patch'));
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch !== undefined) {
    throw new ApiError(400, 'BadRequest', `unknown patch type ${JSON.stringify(patch.$patch)}`);
  }
  const result: Json = isObject(target) ? structuredClone(target) : {};
  const orders = new Map<string, unknown[]>();
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders.set(key.slice('$setElementOrder/'.length), value as unknown[]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter(
          (item) => !value.some((v) => JSON.stringify(v) === JSON.stringify(item)),
        );
      }
      continue;
    }
    const fieldPath = [...path, key];
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(result[key], value, fieldPath);
    else if (isObject(value)) {
      const merged = strategicMerge(result[key], value, fieldPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  for (const [field, order] of orders) {
    const list = result[field];
    const mergeKey = listMergeKey([...path, field]);
    if (Array.isArray(list) && mergeKey) result[field] = reorder(list, order, mergeKey);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const retained = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!retained.has(key)) delete result[key];
  }
  return result;
}

function mergeList(target: unknown, patch: unknown[], path: readonly string[]): unknown[] {
  const mergeKey = listMergeKey(path);
  const replaceAll = patch.some((item) => isObject(item) && item.$patch === 'replace');
  if (!mergeKey || replaceAll || !Array.isArray(target)) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const result = structuredClone(target) as unknown[];
  for (const item of patch) {
    if (!isObject(item) || item[mergeKey] === undefined) {
      throw new ApiError(
        400,
        'BadRequest',
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
      );
    }
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = strategicMerge(result[index], item, path);
    else result.push(strategicMerge(undefined, item, path));
  }
  return result;
}

function reorder(list: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const keyOf = (item: unknown) => (isObject(item) ? item[mergeKey] : undefined);
  const ranked = order.map(keyOf);
  return [...list].sort((a, b) => {
    const ra = ranked.indexOf(keyOf(a));
    const rb = ranked.indexOf(keyOf(b));
    return (ra < 0 ? Number.MAX_SAFE_INTEGER : ra) - (rb < 0 ? Number.MAX_SAFE_INTEGER : rb);
  });
}

function withoutKey(object: Json, key: string): Json {
  const { [key]: _removed, ...rest } = object;
  return rest;
}

/** Removes `$patch`, `$retainKeys`, `$setElementOrder/…` from values copied in whole. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    result[key] = stripDirectives(item);
  }
  return result;
}
