import { randomUUID } from 'node:crypto';
import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { applyFieldMask } from '../../../protocols/google/field-mask.js';
import { canonicalJson, etagOf, shortHash, timestamp } from '../../../protocols/google/google-etag.js';
import { googleJsonBody, parseGoogleInput } from '../../../protocols/google/google-request-body.js';
import {
  anyOf,
  type LongRunningOperation,
  newOperation,
  renderOperation,
} from '../../../protocols/google/long-running-operation.js';
import { runError } from './cloudrun-errors.js';
import type { RunService } from './cloudrun-records.js';
import { type ServiceInput, serviceInput, WRITABLE_FIELDS } from './cloudrun-schemas.js';

const SERVICE_TYPE = 'google.cloud.run.v2.Service';
const RESERVED_LABEL_PREFIXES = [
  'run.googleapis.com/',
  'cloud.googleapis.com/',
  'serving.knative.dev/',
  'autoscaling.knative.dev/',
  'features.knative.dev/',
];
const SERVICE_ID = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;

/** Collections and clock of the Cloud Run API. */
export class RunEnv {
  readonly services: Collection<RunService>;
  readonly operations: Collection<LongRunningOperation>;
  constructor(readonly ctx: ApiContext) {
    this.services = ctx.collection<RunService>('service');
    this.operations = ctx.collection<LongRunningOperation>('operation');
  }
}

type Params = Record<string, string>;

export function getService(_request: SandboxRequest, params: Params, env: RunEnv): object {
  const name = serviceName(params);
  const record = env.services.get(name);
  if (!record) throw runError.serviceNotFound(name);
  return renderService(name, env);
}

export function listServices(request: SandboxRequest, params: Params, env: RunEnv): object {
  const parent = `projects/${params.project}/locations/${params.location}`;
  const all = env.services.entries().filter(([id]) => id.startsWith(`${parent}/services/`));
  const pageSize = Math.min(Number(request.query.get('pageSize') ?? 0) || 100, 1000);
  const start = Number(request.query.get('pageToken') ?? 0) || 0;
  const page = all.slice(start, start + pageSize);
  const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
  return { services: page.map(([id]) => renderService(id, env)), ...(next ? { nextPageToken: next } : {}) };
}

export function createService(request: SandboxRequest, params: Params, env: RunEnv): object {
  const parent = `projects/${params.project}/locations/${params.location}`;
  const serviceId = request.query.get('serviceId') ?? '';
  if (!SERVICE_ID.test(serviceId)) {
    throw runError.invalid(
      `serviceId '${serviceId}' is invalid: use 1-49 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen.`,
    );
  }
  const input = parseGoogleInput(serviceInput, googleJsonBody(request), 'service');
  const name = `${parent}/services/${serviceId}`;
  if (input.name && input.name !== name) {
    throw runError.invalid(`service.name must be empty or ${name} when creating; got ${input.name}.`);
  }
  if (env.services.has(name)) throw runError.alreadyExists(serviceId);
  if (request.query.get('validateOnly') === 'true')
    return operationResponse(validateOnlyOperation(parent, name));
  return operationResponse(insertService(name, input, env));
}

export function updateService(request: SandboxRequest, params: Params, env: RunEnv): object {
  const name = serviceName(params);
  const input = parseGoogleInput(serviceInput, googleJsonBody(request), 'service');
  if (input.name && input.name !== name) {
    throw runError.invalid(`service.name is immutable: the body names ${input.name} but the URL ${name}.`);
  }
  const record = env.services.get(name);
  if (!record || record.data._sandbox.deleting) {
    if (request.query.get('allowMissing') === 'true')
      return operationResponse(insertService(name, input, env));
    throw runError.serviceNotFound(name);
  }
  if (input.etag && input.etag !== etagOf(name, record.generation)) throw runError.staleEtag();
  const mask = request.query.get('updateMask');
  const service = structuredClone(record.data);
  const incoming: Record<string, unknown> = { ...input };
  if (mask) applyFieldMask(service, incoming, mask, WRITABLE_FIELDS);
  else {
    // Without a mask the writable fields are replaced as a whole (unset ones reset), as in v2.
    const target: Record<string, unknown> = service;
    for (const field of WRITABLE_FIELDS) {
      if (incoming[field] === undefined) delete target[field];
      else target[field] = structuredClone(incoming[field]);
    }
  }
  service.labels ??= {};
  service.annotations ??= {};
  service.traffic ??= defaultTraffic();
  if (!service.template) throw runError.invalid('service.template is required.');
  checkLabels(service.labels, 'service.labels');
  checkLabels(
    (service.template.labels as Record<string, string> | undefined) ?? {},
    'service.template.labels',
  );
  if (request.query.get('validateOnly') === 'true') {
    return operationResponse(validateOnlyOperation(name.split('/services/')[0] as string, name));
  }
  const now = env.ctx.now();
  service._sandbox.specGeneration += 1;
  service.updateTime = timestamp(now);
  service.lastModifier = 'sandbox@patchbay.dev';
  maybeNewRevision(service, serviceIdOf(name), env);
  startReconciling(service, env, 'UpdateService');
  env.services.put(name, service);
  return operationResponse(startOperation(name, 'update', service._sandbox.settleAt as number, env));
}

export function deleteService(request: SandboxRequest, params: Params, env: RunEnv): object {
  const name = serviceName(params);
  const record = env.services.get(name);
  if (!record || record.data._sandbox.deleting) throw runError.serviceNotFound(name);
  const etag = request.query.get('etag');
  if (etag && etag !== etagOf(name, record.generation)) throw runError.staleEtag();
  if (request.query.get('validateOnly') === 'true') {
    return operationResponse(validateOnlyOperation(name.split('/services/')[0] as string, name));
  }
  const service = structuredClone(record.data);
  service._sandbox.deleting = true;
  service.deleteTime = timestamp(env.ctx.now());
  startReconciling(service, env, 'DeleteService');
  env.services.put(name, service);
  return operationResponse(startOperation(name, 'delete', service._sandbox.settleAt as number, env));
}

export function getOperation(_request: SandboxRequest, params: Params, env: RunEnv): object {
  const name = `projects/${params.project}/locations/${params.location}/operations/${params.operation}`;
  const operation = env.operations.get(name);
  if (!operation) throw runError.operationNotFound(name);
  return renderOperation(operation.data);
}

/** Finishes reconciling services and operations whose time has come (called before every request). */
export function settleCloudRun(env: RunEnv): void {
  const now = env.ctx.now();
  for (const [name, record] of env.services.entries()) {
    const settleAt = record.data._sandbox.settleAt;
    if (settleAt === undefined || settleAt > now) continue;
    if (record.data._sandbox.deleting) {
      env.services.delete(name);
      continue;
    }
    const service = structuredClone(record.data);
    delete service._sandbox.settleAt;
    markReady(service, now);
    env.services.put(name, service);
  }
  for (const [name, record] of env.operations.entries()) {
    const operation = record.data;
    if (operation.done || operation._sandbox.settleAt > now) continue;
    const done = structuredClone(operation);
    done.done = true;
    const current = env.services.has(done._sandbox.target)
      ? renderService(done._sandbox.target, env)
      : undefined;
    const result = current ?? done._sandbox.snapshot ?? {};
    done.response = anyOf(SERVICE_TYPE, result);
    done.metadata = anyOf(SERVICE_TYPE, result);
    env.operations.put(name, done);
  }
}

/** The wire `Service`: stored data without `_sandbox`, with etag, generation and URI. */
export function renderService(name: string, env: RunEnv): Record<string, unknown> {
  const record = env.services.get(name);
  if (!record) throw runError.serviceNotFound(name);
  const { _sandbox, ...wire } = record.data;
  return { ...wire, generation: String(_sandbox.specGeneration), etag: etagOf(name, record.generation) };
}

/**
 * Applies a console edit: a changed template makes a new revision (ready at once, as the console
 * deploys synchronously from the sandbox's point of view); the spec generation always moves.
 */
export function afterConsoleWrite(name: string, env: RunEnv): void {
  const record = env.services.get(name);
  if (!record) return;
  const service = structuredClone(record.data);
  service._sandbox.specGeneration += 1;
  maybeNewRevision(service, serviceIdOf(name), env);
  markReady(service, env.ctx.now());
  env.services.put(name, service);
}

function insertService(name: string, input: ServiceInput, env: RunEnv): LongRunningOperation {
  if (!input.template) throw runError.invalid('service.template is required.');
  const labels = input.labels ?? {};
  checkLabels(labels, 'service.labels');
  checkLabels(input.template.labels ?? {}, 'service.template.labels');
  const now = env.ctx.now();
  const { etag: _etag, ...fields } = input;
  const writable = Object.fromEntries(
    WRITABLE_FIELDS.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]),
  );
  const service: RunService = {
    ...writable,
    name,
    uid: randomUUID(),
    labels,
    annotations: input.annotations ?? {},
    createTime: timestamp(now),
    updateTime: timestamp(now),
    creator: 'sandbox@patchbay.dev',
    lastModifier: 'sandbox@patchbay.dev',
    ingress: input.ingress ?? 'INGRESS_TRAFFIC_ALL',
    launchStage: input.launchStage ?? 'GA',
    template: structuredClone(input.template),
    traffic: input.traffic ?? defaultTraffic(),
    reconciling: true,
    latestCreatedRevision: '',
    terminalCondition: { type: 'Ready', state: 'CONDITION_RECONCILING', lastTransitionTime: timestamp(now) },
    conditions: [],
    _sandbox: { specGeneration: 1, revisions: [], templateKey: '' },
  };
  maybeNewRevision(service, serviceIdOf(name), env);
  startReconciling(service, env, 'CreateService');
  env.services.put(name, service);
  return startOperation(name, 'create', service._sandbox.settleAt as number, env);
}

/** Makes a new revision when the template (ignoring `revision`) changed; a reused name → 409. */
function maybeNewRevision(service: RunService, serviceId: string, env: RunEnv): void {
  const { revision, ...template } = service.template;
  const key = canonicalJson(template);
  if (key === service._sandbox.templateKey) return;
  let name = revision;
  if (name) {
    if (service._sandbox.revisions.includes(name)) throw runError.revisionExists(name);
    if (!name.startsWith(`${serviceId}-`)) {
      throw runError.invalid(`template.revision must start with '${serviceId}-'; got '${name}'.`);
    }
  } else {
    const number = String(service._sandbox.revisions.length + 1).padStart(5, '0');
    const suffix = shortHash([service.uid, number, env.ctx.now()], 3).replace(/[0-9]/g, (d) =>
      String.fromCharCode(97 + Number(d)),
    );
    name = `${serviceId}-${number}-${suffix}`;
  }
  service._sandbox.revisions.push(name);
  service._sandbox.templateKey = key;
  service.latestCreatedRevision = name;
}

function startReconciling(service: RunService, env: RunEnv, operation: string): void {
  const now = env.ctx.now();
  service.reconciling = true;
  service.terminalCondition = {
    type: 'Ready',
    state: 'CONDITION_RECONCILING',
    lastTransitionTime: timestamp(now),
  };
  service._sandbox.settleAt = now + env.ctx.operationDelayMs(operation);
}

function markReady(service: RunService, now: number): void {
  const id = serviceIdOf(service.name);
  const [, project, , location] = service.name.split('/');
  const ready = (type: string) => ({
    type,
    state: 'CONDITION_SUCCEEDED',
    lastTransitionTime: timestamp(now),
  });
  service.reconciling = false;
  service.latestReadyRevision = service.latestCreatedRevision;
  service.observedGeneration = String(service._sandbox.specGeneration);
  service.terminalCondition = ready('Ready');
  service.conditions = [ready('RoutesReady'), ready('ConfigurationsReady')];
  service.trafficStatuses = service.traffic.map((target) => ({ ...target }));
  service.uri = `https://${id}-${shortHash(project, 10)}.${location}.run.app`;
  service.urls = [service.uri];
}

function startOperation(target: string, kind: string, settleAt: number, env: RunEnv): LongRunningOperation {
  const parent = target.split('/services/')[0] as string;
  const snapshot = renderService(target, env);
  const operation = newOperation(parent, { settleAt, target, kind, snapshot }, anyOf(SERVICE_TYPE, snapshot));
  env.operations.put(operation.name, operation);
  return operation;
}

function validateOnlyOperation(parent: string, target: string): LongRunningOperation {
  return {
    ...newOperation(parent, { settleAt: 0, target, kind: 'validate' }),
    done: true,
    response: anyOf(SERVICE_TYPE, {}),
  };
}

function operationResponse(operation: LongRunningOperation): object {
  return renderOperation(operation);
}

function checkLabels(labels: Record<string, string>, field: string): void {
  for (const key of Object.keys(labels)) {
    const reserved = RESERVED_LABEL_PREFIXES.find((prefix) => key.startsWith(prefix));
    if (reserved) {
      throw runError.invalid(
        `${field}: label key '${key}' uses the reserved prefix '${reserved}'; such labels are system-managed.`,
      );
    }
  }
}

function defaultTraffic(): Record<string, unknown>[] {
  return [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }];
}

function serviceName(params: Params): string {
  return `projects/${params.project}/locations/${params.location}/services/${params.service}`;
}

function serviceIdOf(name: string): string {
  return name.split('/services/')[1] as string;
}
