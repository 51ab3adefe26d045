import { z } from 'zod';
import { allocationStrategySchema } from './allocation-strategy-schema.js';
import { cloudCompatibilityIssues } from './cloud-compatibility.js';
import { cloudSchema } from './cloud-schema.js';
import { sizingProblem } from './compute-limits.js';
import { computeSchema } from './compute-schema.js';
import { databaseSchema } from './database-schema.js';
import { providerRequirementIssues } from './provider-requirements.js';
import {
  MAX_ENVIRONMENT_NAME_LENGTH,
  resourceName,
  resourceNameAllowed,
  resourceNameProblem,
} from './resource-name.js';
import { sizingSchema } from './sizing-schema.js';
import { strictObject } from './strict-object.js';

const environmentObjectSchema = strictObject({
  /** Prefixes every cloud resource name: 1-18 lowercase letters, digits, hyphens. @example 'staging' */
  name: resourceName(MAX_ENVIRONMENT_NAME_LENGTH),
  /** @default 'development' */
  type: z.enum(['production', 'development', 'preview']).default('development'),
  /** Whether changes apply at once or wait for an approver. @default 'manual' for production, else 'automatic' */
  approval: z.enum(['automatic', 'manual']).optional(),
  cloud: cloudSchema,
  compute: computeSchema,
  /** @default { cpu: 0.5, memory: 1024, minInstances: 1, maxInstances: 3 } */
  sizing: sizingSchema.prefault({}),
  /**
   * The app's databases run on this; omit when the app has none. Patchbay creates no credentials secret
   * except RDS's own: create the ones docs/engine.md "Secrets you create" names for your compute and
   * database before the first apply.
   */
  database: databaseSchema.optional(),
  /** @default { strategy: 'single' } */
  allocation: allocationStrategySchema.default({ strategy: 'single' }),
});

type EnvironmentObject = z.output<typeof environmentObjectSchema>;

function crossFieldRules(env: EnvironmentObject, ctx: z.RefinementCtx): void {
  for (const issue of cloudCompatibilityIssues(env))
    ctx.addIssue({
      code: 'custom',
      path: issue.path,
      message: issue.message,
      params: { allowed: issue.allowed },
    });
  for (const issue of providerRequirementIssues(env))
    ctx.addIssue({
      code: 'custom',
      path: issue.path,
      message: issue.message,
      params: { allowed: issue.allowed },
    });
  if (env.compute.kind === 'kubernetes') {
    const cluster = env.compute.cluster;
    if (cluster.mode === 'existing') {
      const hasKubeconfig = cluster.kubeconfig !== undefined;
      const hasRef = cluster.clusterRef !== undefined;
      if (hasKubeconfig === hasRef)
        ctx.addIssue({
          code: 'custom',
          path: ['compute', 'cluster'],
          message: 'an existing cluster needs exactly one of kubeconfig and clusterRef',
          params: { allowed: ['kubeconfig', 'clusterRef'] },
        });
    }
    if (cluster.mode === 'new' && 'min' in cluster.nodes && cluster.nodes.min > cluster.nodes.max)
      ctx.addIssue({
        code: 'custom',
        path: ['compute', 'cluster', 'nodes', 'min'],
        message: `min (${cluster.nodes.min}) is above max (${cluster.nodes.max})`,
        params: { allowed: `0-${cluster.nodes.max}` },
      });
  }
  if (env.database?.kind === 'neon') {
    const { minCu, maxCu } = env.database.endpoint;
    if (minCu > maxCu)
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'endpoint', 'minCu'],
        message: `minCu (${minCu}) is above maxCu (${maxCu})`,
        params: { allowed: `at most ${maxCu}` },
      });
    const source = env.database.source;
    if (source.mode === 'branch-from-environment' && source.environment === env.name)
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'source', 'environment'],
        message: 'an environment cannot branch its database from itself',
        params: { allowed: 'the name of another environment' },
      });
  }
  sizingRules(env, ctx);
  if (env.allocation.strategy === 'groups') {
    for (const [group, services] of Object.entries(env.allocation.groups)) {
      const problem = resourceNameProblem(group);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['allocation', 'groups', group],
          message: `group name ${problem}`,
          params: { allowed: resourceNameAllowed() },
        });
      if (services.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['allocation', 'groups', group],
          message: 'a group must host at least one service',
          params: { allowed: 'a non-empty list of service names' },
        });
    }
  }
}

function sizingRules(env: EnvironmentObject, ctx: z.RefinementCtx): void {
  const kind = env.compute.kind;
  const { sizing } = env;
  const check = (cpu: number, memory: number, path: (string | number)[]) => {
    const problem = sizingProblem(kind, cpu, memory);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem, params: { allowed: problem } });
  };
  check(sizing.cpu, sizing.memory, ['sizing', 'memory']);
  if (sizing.minInstances > sizing.maxInstances)
    ctx.addIssue({
      code: 'custom',
      path: ['sizing', 'minInstances'],
      message: `minInstances (${sizing.minInstances}) is above maxInstances (${sizing.maxInstances})`,
      params: { allowed: `0-${sizing.maxInstances}` },
    });
  for (const [service, override] of Object.entries(sizing.services ?? {})) {
    const problem = resourceNameProblem(service);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['sizing', 'services', service],
        message: `service name ${problem}`,
        params: { allowed: resourceNameAllowed() },
      });
    if (override.cpu !== undefined || override.memory !== undefined)
      check(override.cpu ?? sizing.cpu, override.memory ?? sizing.memory, [
        'sizing',
        'services',
        service,
        'memory',
      ]);
    const min = override.minInstances ?? sizing.minInstances;
    const max = override.maxInstances ?? sizing.maxInstances;
    if (min > max)
      ctx.addIssue({
        code: 'custom',
        path: ['sizing', 'services', service, 'minInstances'],
        message: `minInstances (${min}) is above maxInstances (${max})`,
        params: { allowed: `0-${max}` },
      });
  }
}

/**
 * The environment: where and how an app runs. Parse it with {@link parseEnvironment}; the output has
 * every default filled in (approval from the type, Kubernetes namespace from the name).
 */
export const environmentSchema = environmentObjectSchema.superRefine(crossFieldRules).transform((env) => {
  const approval = env.approval ?? (env.type === 'production' ? 'manual' : 'automatic');
  const compute =
    env.compute.kind === 'kubernetes'
      ? {
          ...env.compute,
          cluster: { ...env.compute.cluster, namespace: env.compute.cluster.namespace ?? env.name },
        }
      : env.compute;
  return { ...env, approval, compute } as Omit<EnvironmentObject, 'approval'> & {
    approval: 'automatic' | 'manual';
  };
});

/** A parsed environment, defaults applied. */
export type Environment = z.output<typeof environmentSchema>;
/** What users write: every defaulted field is optional. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
