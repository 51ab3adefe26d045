import type { protos } from '@google-cloud/run';
import {
  type Attributes,
  applyMapChange,
  assertPatchable,
  type CallContext,
  ConflictError,
  differs,
  effectiveMapChange,
  groupChanges,
  type JsonValue,
  type Observed,
  ProviderError,
  pollUntil,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type ValidationIssue,
  type WriteResult,
} from '@patchbay/core';
import { alreadyApplied } from './already-applied.js';
import {
  isAlreadyExists,
  isNotFound,
  isPassingGcpError,
  isStaleVersion,
  toProviderError,
} from './classify-gcp-error.js';
import {
  DEFAULT_CPU,
  DEFAULT_MEMORY_MIB,
  formatCpu,
  formatMemory,
  parseCpu,
  parseMemory,
} from './cloud-run-size.js';
import { gcpRead } from './gcp-call.js';
import type { GcpContext } from './gcp-context.js';
import {
  isReservedLabel,
  labelIssues,
  labelsForCreate,
  observedLabels,
  ownedBy,
  toLabelMap,
} from './gcp-labels.js';
import { ObservedCache } from './observed-cache.js';

type Service = protos.google.cloud.run.v2.IService;
type Container = protos.google.cloud.run.v2.IContainer;

const TYPE = 'gcp.run.service';
const MAPS = ['labels'] as const;
const PATCHABLE = [
  'image',
  'cpu',
  'memory',
  'port',
  'minInstances',
  'maxInstances',
  'ingress',
  'environment',
  'secrets',
  'labels',
];
/** Attributes that live in the revision template's first container. */
const CONTAINER_ATTRIBUTES = ['image', 'cpu', 'memory', 'port', 'environment', 'secrets'];
/** `projects/<p>/secrets/<s>/versions/<v>`: a Secret Manager secret version, by reference. */
const SECRET_VERSION = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/;
/** Cloud Run's defaults for what a service does not set. */
const DEFAULT_PORT = 8080;
const DEFAULT_MAX_INSTANCES = 100;

const INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  none: 'INGRESS_TRAFFIC_NONE',
};
/** The enum's numbers, as decoded protobuf messages carry them. */
const INGRESS_NUMBERS: Record<number, string> = {
  1: 'all',
  2: 'internal',
  3: 'internal-and-cloud-load-balancing',
  4: 'none',
};

/**
 * `gcp.run.service`: a Cloud Run (Admin API v2) service per unit. Compare-and-set on the service `etag`;
 * a patch is one `UpdateService` whose `updateMask` names only the changed fields.
 */
export function cloudRunService(ctx: GcpContext): ResourceType {
  const cache = new ObservedCache<Service>();

  // Before it exists a service is looked up in its desired region (`identity`), else the provider's.
  const nameOf = (ref: ResourceRef): string =>
    ref.physicalId ??
    `projects/${ctx.project}/locations/${(ref.identity?.region as string | undefined) ?? ctx.region}/services/${ref.name}`;

  const read = async (name: string, ref: ResourceRef, signal: AbortSignal): Promise<Service | undefined> => {
    const found = await gcpRead(
      'GetService',
      ref.id,
      async () => (await ctx.run.getService({ name }, { signal } as object))[0],
      isNotFound,
    );
    if (found) cache.set(name, found.etag ?? undefined, found);
    else cache.delete(name);
    return found;
  };

  /** Waits out a long-running operation, then returns the service as it is now. */
  const settle = async (
    operation: string,
    ref: ResourceRef,
    name: string,
    call: CallContext,
  ): Promise<Service> => {
    await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `Cloud Run operation ${operation}`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.run,
        signal: call.signal,
        resource: ref.id,
      },
      async () => {
        const [op] = await ctx.run.getOperation({
          name: operation,
        } as protos.google.longrunning.GetOperationRequest);
        if (!op.done) {
          call.progress(`Cloud Run service ${ref.name}: deploying`);
          return undefined;
        }
        if (op.error) {
          throw new ProviderError(
            'gcp',
            'deploy',
            'fatal',
            `Cloud Run operation failed: ${op.error.message ?? 'no message'} (code ${op.error.code})`,
            { resource: ref.id },
          );
        }
        return true;
      },
    );
    const service = await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `Cloud Run service ${ref.name} readable`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.run,
        signal: call.signal,
        resource: ref.id,
      },
      async () => (await read(name, ref, call.signal)) ?? null,
    );
    if (!service)
      throw new ProviderError('gcp', 'wait', 'not-found', `Cloud Run service ${name} disappeared`, {
        resource: ref.id,
      });
    const state = service.terminalCondition?.state;
    if (state === 'CONDITION_FAILED' || (state as unknown) === 3) {
      throw new ProviderError(
        'gcp',
        'deploy',
        'fatal',
        `Cloud Run service ${ref.name} is not ready: ${service.terminalCondition?.message || 'no reason given'}`,
        { resource: ref.id },
      );
    }
    return service;
  };

  const result = (service: Service): WriteResult => {
    const observed = toObserved(service);
    return {
      physicalId: observed.physicalId,
      attributes: observed.attributes,
      version: observed.version,
      outputs: observed.outputs,
    };
  };

  return {
    api: 'cloudrun',
    precondition: 'version',
    immutable: ['region'],
    identity: ['region'],
    validate: (attributes, _ref, context) => serviceIssues(attributes, context.mayCreate),
    maps: MAPS,
    normalize: normalizeCloudRun,

    async observe(ref, call) {
      const service = await read(nameOf(ref), ref, call.signal);
      return service ? toObserved(service) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, serviceIssues(attrs, true));
      const region = (attrs.region as string | undefined) ?? ctx.region;
      const name = `projects/${ctx.project}/locations/${region}/services/${ref.name}`;
      const service: Service = {
        labels: labelsForCreate(ref, attrs.labels),
        ingress: INGRESS[normalizeCloudRun('ingress', attrs.ingress ?? 'all') as string] as never,
        template: {
          scaling: {
            minInstanceCount: (attrs.minInstances as number | undefined) ?? 0,
            maxInstanceCount: (attrs.maxInstances as number | undefined) ?? DEFAULT_MAX_INSTANCES,
          },
          containers: [applyContainer({}, attrs)],
        },
      };
      let operation: string;
      try {
        const [op] = await ctx.run.createService(
          { parent: `projects/${ctx.project}/locations/${region}`, serviceId: ref.name, service },
          { signal: call.signal } as object,
        );
        operation = op.name as string;
      } catch (error) {
        if (!isAlreadyExists(error)) throw toProviderError(error, 'CreateService', ref.id);
        // A crashed or retried earlier create of ours: take it over; anyone else's is a conflict.
        const existing = await read(name, ref, call.signal);
        if (!existing || !ownedBy(existing.labels as Record<string, string>, ref))
          throw toProviderError(error, 'CreateService', ref.id);
        const ready = await pollUntil(
          {
            provider: 'gcp',
            waitOutError: isPassingGcpError,
            what: `Cloud Run service ${ref.name} ready`,
            intervalMs: ctx.pollIntervalMs,
            timeoutMs: ctx.waitTimeoutMs.run,
            signal: call.signal,
            resource: ref.id,
          },
          async () => {
            const s = await read(name, ref, call.signal);
            return s && !s.reconciling ? s : undefined;
          },
        );
        return result(ready);
      }
      return result(await settle(operation, ref, name, call));
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      throwIfInvalid(
        ref,
        serviceIssues(
          Object.fromEntries(grouped.plain) as Attributes,
          false,
          grouped.maps.get('labels')?.set,
        ),
      );
      const name = nameOf(ref);
      let live: Service | undefined;
      if (precondition.kind === 'version') {
        live = cache.get(name, precondition.version) ?? (await read(name, ref, call.signal));
        if (!live)
          throw new ProviderError('gcp', 'patch', 'not-found', `Cloud Run service ${name} does not exist`, {
            resource: ref.id,
          });
        if (live.etag !== precondition.version) {
          if (alreadyApplied(toObserved(live).attributes, changes, normalizeCloudRun)) return result(live);
          throw staleConflict(ref, changes[0]?.attribute, precondition.version, live.etag);
        }
      } else {
        live = await read(name, ref, call.signal);
        if (!live)
          throw new ProviderError('gcp', 'patch', 'not-found', `Cloud Run service ${name} does not exist`, {
            resource: ref.id,
          });
        const now = toObserved(live).attributes;
        for (const [path, expected] of Object.entries(precondition.expected)) {
          const [head, key] = path.split('.') as [string, string | undefined];
          const actual = key ? (now[head] as Record<string, JsonValue> | undefined)?.[key] : now[head];
          if (differs(actual, expected)) throw new ConflictError(ref.id, path, expected, actual);
        }
      }
      const current = toObserved(live).attributes;
      const want = (a: string) => normalizeCloudRun(a, grouped.plain.get(a) ?? null);
      const changed = (a: string) => grouped.plain.has(a) && differs(current[a], want(a));

      const paths: string[] = [];
      const body: Service = { name, etag: live.etag };
      const template: Service['template'] = {};
      if (CONTAINER_ATTRIBUTES.some(changed)) {
        const containers = (live.template?.containers ?? []).map(requestContainer);
        const wanted: Attributes = {};
        for (const a of CONTAINER_ATTRIBUTES) if (changed(a)) wanted[a] = want(a);
        containers[0] = applyContainer(containers[0] ?? {}, wanted);
        template.containers = containers;
        paths.push('template.containers');
      }
      for (const [attribute, field] of [
        ['minInstances', 'minInstanceCount'],
        ['maxInstances', 'maxInstanceCount'],
      ] as const) {
        if (!changed(attribute)) continue;
        template.scaling = { ...template.scaling, [field]: want(attribute) as number };
        paths.push(`template.scaling.${field}`);
      }
      if (paths.length > 0) {
        // No `revision` (a reused revision name is refused with 409). The live containers ride along when
        // only scaling changes: outside the mask they change nothing, and a template without them is refused.
        template.containers ??= (live.template?.containers ?? []).map(requestContainer);
        body.template = template;
      }
      if (changed('ingress')) {
        body.ingress = INGRESS[want('ingress') as string] as never;
        paths.push('ingress');
      }
      const liveLabels = toLabelMap((live.labels ?? {}) as JsonValue);
      const labelChange = effectiveMapChange(liveLabels, grouped.maps.get('labels'));
      if (labelChange) {
        // `labels` is replaced whole under its mask path: send the live map with only these keys changed,
        // minus system labels, which the API refuses in a request and keeps on its own.
        const merged = applyMapChange(liveLabels, labelChange);
        body.labels = Object.fromEntries(Object.entries(merged).filter(([k]) => !isReservedLabel(k)));
        paths.push('labels');
      }
      if (paths.length === 0) return result(live); // every change is already live

      let operation: string;
      try {
        const [op] = await ctx.run.updateService({ service: body, updateMask: { paths } }, {
          signal: call.signal,
        } as object);
        operation = op.name as string;
      } catch (error) {
        cache.delete(name);
        if (isStaleVersion(error)) {
          const now = await read(name, ref, call.signal);
          if (now && alreadyApplied(toObserved(now).attributes, changes, normalizeCloudRun))
            return result(now);
          throw staleConflict(ref, changes[0]?.attribute, live.etag, now?.etag, error);
        }
        throw toProviderError(error, 'UpdateService', ref.id);
      }
      return result(await settle(operation, ref, name, call));
    },

    async delete(ref, call) {
      const name = nameOf(ref);
      const live = await read(name, ref, call.signal);
      if (!live) return;
      let operation: string;
      try {
        const [op] = await ctx.run.deleteService({ name, etag: live.etag ?? '' }, {
          signal: call.signal,
        } as object);
        operation = op.name as string;
      } catch (error) {
        if (isNotFound(error)) return;
        if (isStaleVersion(error)) throw staleConflict(ref, undefined, live.etag, undefined, error);
        throw toProviderError(error, 'DeleteService', ref.id);
      }
      await pollUntil(
        {
          provider: 'gcp',
          waitOutError: isPassingGcpError,
          what: `Cloud Run service ${ref.name} deleted`,
          intervalMs: ctx.pollIntervalMs,
          timeoutMs: ctx.waitTimeoutMs.run,
          signal: call.signal,
          resource: ref.id,
        },
        async () => {
          const [op] = await ctx.run.getOperation({
            name: operation,
          } as protos.google.longrunning.GetOperationRequest);
          if (op.error)
            throw new ProviderError(
              'gcp',
              'DeleteService',
              'fatal',
              `Cloud Run delete failed: ${op.error.message}`,
              { resource: ref.id },
            );
          if (!op.done) return undefined;
          return (await read(name, ref, call.signal)) ? undefined : true;
        },
      );
    },
  };
}

function staleConflict(
  ref: ResourceRef,
  attribute: string | undefined,
  expected: unknown,
  actual: unknown,
  cause?: unknown,
): ConflictError {
  return new ConflictError(ref.id, attribute, expected, actual, { cause, reason: 'the service etag moved' });
}

/** The container as a request: the read one with its output-only and empty parts dropped. */
function requestContainer(container: Container): Container {
  return JSON.parse(
    JSON.stringify(container, (_k, v) => (v === null || v === '' ? undefined : v)),
  ) as Container;
}

/** Set the owned container fields from normalized attributes; everything else in `base` is kept. */
function applyContainer(base: Container, attrs: Attributes): Container {
  const out: Container = { ...base };
  if (attrs.image !== undefined) out.image = attrs.image as string;
  if (attrs.cpu !== undefined || attrs.memory !== undefined) {
    const limits = { ...(base.resources?.limits ?? {}) };
    if (attrs.cpu !== undefined) limits.cpu = formatCpu(parseCpu(attrs.cpu) as number);
    if (attrs.memory !== undefined) limits.memory = formatMemory(parseMemory(attrs.memory) as number);
    out.resources = { ...base.resources, limits };
  }
  if (attrs.port !== undefined) {
    const [first, ...rest] = base.ports ?? [];
    out.ports = [{ ...first, containerPort: attrs.port as number }, ...rest];
  }
  if (attrs.environment !== undefined || attrs.secrets !== undefined) {
    // Plain variables come from `environment`, secret-backed ones (valueSource) from `secrets`; the kind
    // not being changed is kept as it is live.
    const plain =
      attrs.environment !== undefined
        ? Object.entries(toLabelMap(attrs.environment)).map(([name, value]) => ({ name, value }))
        : (base.env ?? []).filter((e) => !e.valueSource);
    const fromSecrets =
      attrs.secrets !== undefined
        ? Object.entries(toLabelMap(attrs.secrets)).map(([name, reference]) => {
            const [, project, secret, version] = SECRET_VERSION.exec(reference) ?? [];
            return {
              name,
              valueSource: { secretKeyRef: { secret: `projects/${project}/secrets/${secret}`, version } },
            };
          })
        : (base.env ?? []).filter((e) => e.valueSource);
    out.env = [...plain.filter((p) => !fromSecrets.some((s) => s.name === p.name)), ...fromSecrets];
  }
  return out;
}

function regionOf(name: string): string {
  return name.split('/')[3] ?? '';
}

function toObserved(service: Service): Observed {
  const name = service.name as string;
  const container = service.template?.containers?.[0] ?? {};
  const limits = container.resources?.limits ?? {};
  const scaling = service.template?.scaling ?? {};
  const environment: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const e of [...(container.env ?? [])].sort((a, b) => String(a.name).localeCompare(String(b.name)))) {
    if (e.name && !e.valueSource) environment[e.name] = e.value ?? '';
    const ref = e.valueSource?.secretKeyRef;
    if (e.name && ref?.secret) {
      const secret = ref.secret.startsWith('projects/')
        ? ref.secret
        : `projects/${name.split('/')[1]}/secrets/${ref.secret}`;
      secrets[e.name] = `${secret}/versions/${ref.version || 'latest'}`;
    }
  }
  const attributes: Attributes = {
    region: regionOf(name),
    image: container.image ?? '',
    cpu: parseCpu(limits.cpu || String(DEFAULT_CPU)) as JsonValue,
    memory: parseMemory(limits.memory || `${DEFAULT_MEMORY_MIB}Mi`) as JsonValue,
    port: Number(container.ports?.[0]?.containerPort || DEFAULT_PORT),
    minInstances: Number(scaling.minInstanceCount ?? 0),
    maxInstances: Number(scaling.maxInstanceCount || DEFAULT_MAX_INSTANCES),
    ingress: normalizeCloudRun('ingress', (service.ingress ?? 'INGRESS_TRAFFIC_ALL') as JsonValue),
    environment,
    secrets,
    labels: observedLabels(service.labels as Record<string, string>),
  };
  const outputs: Record<string, JsonValue> = { name };
  if (service.uri) outputs.uri = service.uri;
  return { physicalId: name, attributes, ...(service.etag ? { version: service.etag } : {}), outputs };
}

/** Normalize a desired or observed value: vCPU and MiB numbers, ingress short names, sorted maps. */
export function normalizeCloudRun(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'cpu':
      return parseCpu(value) as JsonValue;
    case 'memory':
      return parseMemory(value) as JsonValue;
    case 'port':
    case 'minInstances':
    case 'maxInstances':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'ingress': {
      if (typeof value === 'number') return INGRESS_NUMBERS[value] ?? value;
      if (typeof value !== 'string') return value;
      const short = Object.entries(INGRESS).find(([, full]) => full === value)?.[0];
      return short ?? value;
    }
    case 'environment':
    case 'secrets':
    case 'labels':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? toLabelMap(value) : value;
    default:
      return value;
  }
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

/** Input checks before any call; on create `image` is required. */
function serviceIssues(
  attrs: Attributes,
  creating: boolean,
  labelsSet?: Record<string, string>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if ((creating || 'image' in attrs) && (typeof attrs.image !== 'string' || attrs.image === '')) {
    issues.push({ path: ['image'], message: 'must be a container image reference', received: attrs.image });
  }
  if (
    'region' in attrs &&
    (typeof attrs.region !== 'string' || !/^[a-z]+-[a-z]+\d{1,2}$/.test(attrs.region))
  ) {
    issues.push({
      path: ['region'],
      message: 'must be a GCP region',
      received: attrs.region,
      allowed: 'e.g. "europe-west1"',
    });
  }
  if ('cpu' in attrs) {
    const cpu = parseCpu(attrs.cpu);
    if (typeof cpu !== 'number' || cpu <= 0 || cpu > 8) {
      issues.push({
        path: ['cpu'],
        message: 'must be vCPU between 0.08 and 8',
        received: attrs.cpu,
        allowed: 'e.g. 0.5, 1, 2, "1000m"',
      });
    }
  }
  if ('memory' in attrs) {
    const memory = parseMemory(attrs.memory);
    if (typeof memory !== 'number' || memory < 128 || memory > 32768) {
      issues.push({
        path: ['memory'],
        message: 'must be MiB between 128 and 32768',
        received: attrs.memory,
        allowed: 'e.g. 512, "1Gi"',
      });
    }
  }
  if (
    'port' in attrs &&
    !(Number.isInteger(attrs.port) && (attrs.port as number) > 0 && (attrs.port as number) < 65536)
  ) {
    issues.push({ path: ['port'], message: 'must be a TCP port', received: attrs.port, allowed: '1-65535' });
  }
  for (const a of ['minInstances', 'maxInstances']) {
    if (a in attrs && !(Number.isInteger(attrs[a]) && (attrs[a] as number) >= 0)) {
      issues.push({ path: [a], message: 'must be a whole number ≥ 0', received: attrs[a] });
    }
  }
  if (
    typeof attrs.minInstances === 'number' &&
    typeof attrs.maxInstances === 'number' &&
    attrs.maxInstances < attrs.minInstances
  ) {
    issues.push({ path: ['maxInstances'], message: 'must be ≥ minInstances', received: attrs.maxInstances });
  }
  if ('ingress' in attrs && !((normalizeCloudRun('ingress', attrs.ingress ?? null) as string) in INGRESS)) {
    issues.push({
      path: ['ingress'],
      message: 'is not a Cloud Run ingress setting',
      received: attrs.ingress,
      allowed: Object.keys(INGRESS),
    });
  }
  if ('environment' in attrs) {
    const env = attrs.environment;
    if (
      env === null ||
      typeof env !== 'object' ||
      Array.isArray(env) ||
      Object.values(env).some((v) => typeof v !== 'string')
    ) {
      // Values may hold secrets: never echo them.
      issues.push({ path: ['environment'], message: 'must be an object of strings' });
    }
  }
  if ('secrets' in attrs) {
    const secrets = attrs.secrets;
    if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) {
      issues.push({
        path: ['secrets'],
        message: 'must be an object of variable name → secret version reference',
      });
    } else {
      for (const [name, reference] of Object.entries(secrets)) {
        if (typeof reference !== 'string' || !SECRET_VERSION.test(reference)) {
          issues.push({
            path: ['secrets', name],
            message: 'must reference a Secret Manager secret version (never a value)',
            allowed: 'projects/<project>/secrets/<secret>/versions/<version>',
          });
        }
      }
    }
  }
  issues.push(...labelIssues(creating ? attrs.labels : labelsSet));
  return issues;
}
