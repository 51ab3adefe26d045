import { isDeepStrictEqual } from 'node:util';
import type { PlanJSON } from '../engine/plan-to-json.js';
import type { AttributeDiff, PlannedAction } from '../engine/plan-types.js';

/**
 * What differs between an approved plan and a fresh one, in words, one line per difference
 * (`compute/api.replicas: approved patch 2 → 3, now conflict (observed 5)`). Empty when the fresh plan
 * would do exactly what was approved. The time, the number of reads and the base revision are not
 * compared: they change without changing what the plan does.
 */
export function planChanges(approved: PlanJSON, fresh: PlanJSON): string[] {
  const changes: string[] = [];
  const before = new Map(approved.actions.map((a) => [a.id, a]));
  const after = new Map(fresh.actions.map((a) => [a.id, a]));
  for (const [id, a] of before) {
    const b = after.get(id);
    if (!b) changes.push(`${id}: approved ${a.kind}, no longer in the plan`);
    else changes.push(...actionChanges(a, b));
  }
  for (const [id, b] of after) {
    if (!before.has(id)) changes.push(`${id}: new ${b.kind}, not in the approved plan`);
  }
  return changes;
}

function actionChanges(a: PlannedAction, b: PlannedAction): string[] {
  const out: string[] = [];
  if (a.kind !== b.kind)
    out.push(`${a.id}: approved ${a.kind}, now ${b.kind}${b.reason ? ` (${b.reason})` : ''}`);
  else if (a.reason !== b.reason) out.push(`${a.id}: reason was ${show(a.reason)}, now ${show(b.reason)}`);
  for (const field of ['type', 'name', 'physicalId'] as const) {
    if (a[field] !== b[field]) out.push(`${a.id}: ${field} was ${show(a[field])}, now ${show(b[field])}`);
  }
  if (!isDeepStrictEqual([...a.dependsOn].sort(), [...b.dependsOn].sort())) {
    out.push(`${a.id}: dependencies were [${a.dependsOn.join(', ')}], now [${b.dependsOn.join(', ')}]`);
  }
  const x = new Map(a.attributes.map((d) => [d.attribute, d]));
  const y = new Map(b.attributes.map((d) => [d.attribute, d]));
  for (const name of new Set([...x.keys(), ...y.keys()])) {
    const p = x.get(name);
    const q = y.get(name);
    if (!isDeepStrictEqual(p, q)) out.push(`${a.id}.${name}: approved ${describe(p)}, now ${describe(q)}`);
  }
  return out;
}

function describe(d: AttributeDiff | undefined): string {
  if (!d) return 'unchanged';
  if (d.sensitive) return `${d.case} (sensitive)`;
  const parts: string[] = [d.case];
  if (d.knownAfterApply) parts.push(`→ (known after apply: ${d.knownAfterApply})`);
  else if ('lastApplied' in d || 'desired' in d) parts.push(`${show(d.lastApplied)} → ${show(d.desired)}`);
  if ('observed' in d) parts.push(`(observed ${show(d.observed)})`);
  return parts.join(' ');
}

function show(value: unknown): string {
  if (value === undefined) return 'unset';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
