import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { collectOutputRefs } from '../resources/output-refs.js';
import type { ResourceSpec } from '../resources/resource-spec.js';
import type { ProviderRegistry } from './provider-registry.js';

const MODES = ['manage', 'observe-only', 'adopt'] as const;
const DELETIONS = ['delete', 'retain'] as const;

/** Every logical id a spec needs first: `dependsOn` plus the resources its output refs point at. */
export function specDependencies(spec: ResourceSpec): string[] {
  const deps = new Set(spec.dependsOn ?? []);
  for (const value of Object.values(spec.attributes))
    for (const ref of collectOutputRefs(value)) deps.add(ref.resource);
  return [...deps];
}

/**
 * Check the desired graph before any provider call: unique ids, known types, existing dependencies, no
 * cycles, valid policies. Returns the specs in dependency order. Attribute values are never echoed (they
 * may be secrets).
 */
export function validateDesired(
  desired: readonly ResourceSpec[],
  registry: ProviderRegistry,
): ResourceSpec[] {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, ResourceSpec>();
  desired.forEach((spec, index) => {
    if (typeof spec.id !== 'string' || spec.id.length === 0) {
      issues.push({
        path: [index, 'id'],
        message: 'is required',
        received: spec.id,
        allowed: 'a non-empty logical id',
      });
      return;
    }
    if (byId.has(spec.id))
      issues.push({ path: [index, 'id'], message: `duplicate id ${spec.id}`, received: spec.id });
    byId.set(spec.id, spec);
    if (typeof spec.name !== 'string' || spec.name.length === 0) {
      issues.push({
        path: [index, 'name'],
        message: 'is required',
        received: spec.name,
        allowed: 'a deterministic physical name',
      });
    }
    if (!registry.resolve(spec.type)) {
      issues.push({
        path: [index, 'type'],
        message: `no provider implements type ${spec.type}`,
        received: spec.type,
        allowed: registry.names.length ? registry.names.map((n) => `${n}.*`) : 'register a provider first',
      });
    }
    if (spec.policy?.mode !== undefined && !MODES.includes(spec.policy.mode)) {
      issues.push({
        path: [index, 'policy', 'mode'],
        message: 'unknown mode',
        received: spec.policy.mode,
        allowed: MODES,
      });
    }
    if (spec.policy?.deletion !== undefined && !DELETIONS.includes(spec.policy.deletion)) {
      issues.push({
        path: [index, 'policy', 'deletion'],
        message: 'unknown deletion policy',
        received: spec.policy.deletion,
        allowed: DELETIONS,
      });
    }
    if (typeof spec.attributes !== 'object' || spec.attributes === null) {
      issues.push({ path: [index, 'attributes'], message: 'must be an object of attribute values' });
    }
  });
  desired.forEach((spec, index) => {
    for (const dep of spec.dependsOn ?? []) {
      if (!byId.has(dep))
        issues.push({
          path: [index, 'dependsOn'],
          message: `depends on unknown resource ${dep}`,
          received: dep,
        });
    }
    for (const [attribute, value] of Object.entries(spec.attributes ?? {})) {
      for (const ref of collectOutputRefs(value)) {
        if (!byId.has(ref.resource)) {
          issues.push({
            path: [index, 'attributes', attribute],
            message: `refers to an output of unknown resource ${ref.resource}`,
            received: ref.resource,
          });
        }
      }
    }
  });
  if (issues.length) throw new ValidationError('Desired resources', issues);

  // Depth-first topological sort; a grey node met again is a cycle.
  const order: ResourceSpec[] = [];
  const mark = new Map<string, 'grey' | 'black'>();
  const visit = (spec: ResourceSpec, path: string[]) => {
    const state = mark.get(spec.id);
    if (state === 'black') return;
    if (state === 'grey') {
      const cycle = [...path.slice(path.indexOf(spec.id)), spec.id].join(' → ');
      throw new ValidationError('Desired resources', [
        { path: [spec.id, 'dependsOn'], message: `dependency cycle: ${cycle}`, allowed: 'an acyclic graph' },
      ]);
    }
    mark.set(spec.id, 'grey');
    for (const dep of specDependencies(spec)) visit(byId.get(dep)!, [...path, spec.id]);
    mark.set(spec.id, 'black');
    order.push(spec);
  };
  for (const spec of desired) visit(spec, []);
  return order;
}
