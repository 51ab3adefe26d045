import { z } from 'zod';
import { resourceName } from './resource-name.js';
import { strictObject } from './strict-object.js';

/** A call to another service; `weight` is how much traffic it carries (e.g. calls per second). */
export const callSchema = z.union([
  resourceName(),
  strictObject({
    service: resourceName(),
    /** Relative traffic, e.g. calls per second. @default 1 */
    weight: z.number().positive().max(1e9).optional(),
  }),
]);

export const serviceSchema = strictObject({
  /** DNS-safe, 1-30 characters; becomes part of cloud resource names. @example 'orders' */
  name: resourceName(),
  /** Services this one calls, by name or with a weight. @example ['users', { service: 'payments', weight: 40 }] */
  calls: z.array(callSchema).default([]),
  /** Databases this service uses, by name. @default [] */
  databases: z.array(resourceName()).default([]),
  /** Reachable from the internet through the public gateway. @default false */
  public: z.boolean().default(false),
  /** Container image of the process hosting it (processes hosting several services share one image). */
  image: z.string().min(1).max(512).optional(),
  /** Port the service listens on. @default 8080 */
  port: z.number().int().min(1).max(65535).optional(),
  /** What the service needs, in vCPU and MiB: used by `auto` limits and to size shared processes. */
  resources: strictObject({
    cpu: z.number().positive().max(64).optional(),
    memory: z.number().int().positive().max(262144).optional(),
  }).optional(),
  /** Always run in a process of its own under `auto`. @default false */
  isolate: z.boolean().default(false),
});

export const appDatabaseSchema = strictObject({
  /** DNS-safe, 1-30 characters. @example 'main' */
  name: resourceName(),
});

const appObjectSchema = strictObject({
  /** @example 'shop' */
  name: resourceName(),
  services: z.array(serviceSchema).min(1),
  /** @default [] */
  databases: z.array(appDatabaseSchema).default([]),
});

type AppObject = z.output<typeof appObjectSchema>;

function crossReferences(app: AppObject, ctx: z.RefinementCtx): void {
  const services = new Map<string, number>();
  app.services.forEach((service, i) => {
    if (services.has(service.name))
      ctx.addIssue({
        code: 'custom',
        path: ['services', i, 'name'],
        message: `duplicate service name (also services[${services.get(service.name)}])`,
        params: { allowed: 'a name no other service has' },
      });
    else services.set(service.name, i);
  });
  const databases = new Set<string>();
  app.databases.forEach((db, i) => {
    if (databases.has(db.name))
      ctx.addIssue({
        code: 'custom',
        path: ['databases', i, 'name'],
        message: 'duplicate database name',
        params: { allowed: 'a name no other database has' },
      });
    databases.add(db.name);
  });
  const serviceNames = [...services.keys()];
  const dbNames = [...databases];
  app.services.forEach((service, i) => {
    service.calls.forEach((call, j) => {
      const target = typeof call === 'string' ? call : call.service;
      if (!services.has(target))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'calls', j, ...(typeof call === 'string' ? [] : ['service'])],
          message: `calls unknown service "${target}"`,
          params: { allowed: serviceNames },
        });
    });
    service.databases.forEach((db, j) => {
      if (!databases.has(db))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'databases', j],
          message: `uses unknown database "${db}"`,
          params: {
            allowed: dbNames.length > 0 ? dbNames : 'a database declared in app.databases (none are)',
          },
        });
    });
  });
}

/**
 * The app: its services, whom they call and which databases they use. Calls are normalized to
 * `{ service, weight }` (weight 1 when not given; repeated calls to one service add up; calls to
 * itself are dropped).
 */
export const appSchema = appObjectSchema.superRefine(crossReferences).transform((app) => ({
  ...app,
  services: app.services.map((service) => {
    const weights = new Map<string, number>();
    for (const call of service.calls) {
      const target = typeof call === 'string' ? call : call.service;
      if (target === service.name) continue;
      const weight = typeof call === 'string' ? 1 : (call.weight ?? 1);
      weights.set(target, (weights.get(target) ?? 0) + weight);
    }
    return { ...service, calls: [...weights].map(([target, weight]) => ({ service: target, weight })) };
  }),
}));

/** A parsed app, calls normalized. */
export type App = z.output<typeof appSchema>;
export type AppInput = z.input<typeof appSchema>;
export type Service = App['services'][number];
export type AppDatabase = App['databases'][number];
