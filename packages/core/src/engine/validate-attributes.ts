import type { ValidationIssue } from '../errors/validation-error.js';
import type { ResourceRef, ResourceType } from '../provider/provider.js';
import type { Attributes, ResourceSpec } from '../resources/resource-spec.js';
import { REDACTED, type Redactor } from './redactor.js';
import { KNOWN_AFTER_APPLY } from './three-way.js';

/**
 * Plan-time check of one desired spec by its type's `validate` (no cloud call). Attributes known only after
 * apply are left out and named in the context; issues come back with the resource id in front of their path,
 * and never carry a sensitive value.
 */
export function validateAttributes(
  type: ResourceType,
  spec: ResourceSpec,
  ref: ResourceRef,
  /** Normalized desired values, output refs resolved; KNOWN_AFTER_APPLY for pending refs. */
  values: Readonly<Record<string, unknown>>,
  redactor: Redactor,
): ValidationIssue[] {
  if (!type.validate) return [];
  const attributes: Attributes = {};
  const knownAfterApply: string[] = [];
  for (const name of Object.keys(spec.attributes)) {
    const value = values[name];
    // A ref that cannot be resolved (known after apply, or a missing output reported elsewhere) is unknown.
    if (value === undefined || value === KNOWN_AFTER_APPLY) knownAfterApply.push(name);
    else attributes[name] = value as Attributes[string];
  }
  const issues = type.validate(attributes, ref, {
    knownAfterApply,
    mayCreate: (spec.policy?.mode ?? 'manage') !== 'observe-only',
  });
  const sensitive = new Set(spec.sensitive ?? []);
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    const attribute = String(issue.path[0] ?? '');
    // The value is not known yet: nothing can be said about it before apply.
    if (knownAfterApply.includes(attribute)) continue;
    const safe: ValidationIssue = {
      ...issue,
      path: [spec.id, ...issue.path],
      message: redactor.redact(issue.message),
    };
    if ('received' in issue && (sensitive.has(attribute) || holdsSecret(issue.received, redactor))) {
      safe.received = REDACTED;
    }
    out.push(safe);
  }
  return out;
}

function holdsSecret(value: unknown, redactor: Redactor): boolean {
  const text = JSON.stringify(value) ?? String(value);
  return redactor.redact(text) !== text;
}
