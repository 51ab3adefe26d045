import type { JsonValue } from '../resources/resource-spec.js';
import type { AttributeDiff, Plan, PlannedAction } from './plan-types.js';
import { REDACTED } from './redactor.js';

const SYMBOL: Record<PlannedAction['kind'], string> = {
  create: '+',
  update: '~',
  replace: '±',
  delete: '-',
  record: '~',
  forget: '-',
  drift: '=',
  conflict: '!',
  blocked: '×',
  external: '·',
  noop: ' ',
};

export interface RenderOptions {
  /** Also list resources with nothing to do. @default false */
  showUnchanged?: boolean;
  /**
   * List each resource to create on one line, without its attributes: for large first applies, where the
   * interesting lines are the updates, drift and conflicts. @default false
   */
  collapseCreates?: boolean;
}

/**
 * Human-readable plan: one line per resource (`+ create`, `~ update`, `± replace`, `- delete`, `= drift kept`,
 * `! conflict`, `× blocked`), one indented line per attribute (`cpu: 256 → 512`), and a summary line.
 *
 * @example
 * console.log(renderPlan(await engine.plan(desired)));
 */
export function renderPlan(plan: Plan, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const action of plan.actions) {
    if (action.kind === 'noop' && action.attributes.length === 0 && !options.showUnchanged) continue;
    const verb = action.kind === 'noop' ? 'no changes' : action.kind === 'drift' ? 'drift kept' : action.kind;
    lines.push(
      `${SYMBOL[action.kind]} ${action.id}  ${action.type}  ${verb}${action.reason ? ` (${action.reason})` : ''}`,
    );
    if (action.kind === 'create' && options.collapseCreates) continue;
    for (const attribute of action.attributes) lines.push(`    ${renderAttribute(action, attribute)}`);
  }
  const s = plan.summary;
  if (lines.length === 0) lines.push('No changes. The infrastructure matches the desired state.');
  lines.push('');
  lines.push(
    `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ` +
      `${s.driftKept} drift kept, ${s.conflicts} conflict${s.conflicts === 1 ? '' : 's'}` +
      (s.blocked ? `, ${s.blocked} blocked` : '') +
      (s.forget ? `, ${s.forget} to forget` : '') +
      '.',
  );
  return lines.join('\n');
}

function renderAttribute(action: PlannedAction, a: AttributeDiff): string {
  const d = desiredText(a);
  const l = value(a, a.lastApplied);
  const o = value(a, a.observed);
  switch (a.case) {
    case 'create':
      return `+ ${a.attribute}: ${d}`;
    case 'patch': {
      const from = a.observed === undefined ? a.lastApplied : a.observed;
      if (!a.sensitive && isObject(from) && isObject(a.desired))
        return `~ ${a.attribute}: ${objectChanges(from, a.desired)}`;
      return `~ ${a.attribute}: ${a.observed === undefined && !a.sensitive ? l : o} → ${d}`;
    }
    case 'forced':
      return `~ ${a.attribute}: ${o} → ${d} (forced over a change made outside Patchbay)`;
    case 'known-after-apply':
      return `~ ${a.attribute}: ${o} → ${d}`;
    case 'already':
      return `✓ ${a.attribute}: already ${d} (recorded, no write)`;
    case 'pending':
      return `✓ ${a.attribute}: ${d} already requested, pending in the cloud (no write)`;
    case 'drift-kept':
      return `= ${a.attribute} kept at ${o} (changed outside Patchbay; ${l} was last applied)`;
    case 'conflict':
      return (
        `! ${a.attribute}: conflict — changed outside Patchbay to ${o} (last applied ${l}), desired ${d}; ` +
        `not written. Force it with force: ['${action.id}.${a.attribute}']`
      );
    case 'immutable':
      return `± ${a.attribute}: ${a.observed !== undefined ? o : l} → ${d} (cannot change in place)`;
    case 'create-only':
      return `  ${a.attribute}: desired ${d} ignored (set at creation only)`;
    case 'disowned':
      return `- ${a.attribute}: no longer managed (left as it is)`;
    default:
      return `  ${a.attribute}`;
  }
}

function desiredText(a: AttributeDiff): string {
  if (a.sensitive) return REDACTED;
  if (a.knownAfterApply) return `(known after apply: ${a.knownAfterApply})`;
  return value(a, a.desired);
}

function value(a: AttributeDiff, v: JsonValue | undefined): string {
  if (a.sensitive) return REDACTED;
  if (v === undefined) return '(unset)';
  return shorten(JSON.stringify(v));
}

/** Long values (a runtime config, a whole environment map) are cut in the text; the JSON form keeps them. */
const MAX_VALUE = 100;

function shorten(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 20)}… (${text.length} chars)` : text;
}

function isObject(v: JsonValue | undefined): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object compared whole (e.g. `environment`): name the keys that change instead of printing both. */
function objectChanges(from: Record<string, JsonValue>, to: Record<string, JsonValue>): string {
  const parts: string[] = [];
  for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    const before = from[key];
    const after = to[key];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (before === undefined) parts.push(`+${key}`);
    else if (after === undefined) parts.push(`-${key}`);
    else parts.push(`~${key}`);
  }
  return `${parts.join(', ') || 'key order'} (${Object.keys(to).length} keys)`;
}
