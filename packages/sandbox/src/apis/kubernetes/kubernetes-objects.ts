import { randomBytes, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { ApiError } from '../../core/api-error.js';
import { mergePatch } from '../../core/merge-patch.js';
import type { StoredRecord } from '../../core/resource-store.js';
import type { ApiContext } from '../../core/sandbox-api.js';
import { headerValue, type SandboxRequest, type SandboxResponse } from '../../core/sandbox-request.js';
import { serverSideApply } from './kubernetes-apply.js';
import { deploymentScale } from './kubernetes-deployments.js';
import { k8sError, type StatusCause } from './kubernetes-errors.js';
import { applyJsonPatch } from './kubernetes-json-patch.js';
import {
  asObject,
  type Json,
  k8sTimestamp,
  specHash,
  type WriteContext,
} from './kubernetes-kind-strategy.js';
import { matchesLabels, parseLabelSelector } from './kubernetes-label-selector.js';
import { type ManagedFieldsEntry, recordUpdate } from './kubernetes-managed-fields.js';
import { isTerminating, terminateNamespace, UNDELETABLE_NAMESPACES } from './kubernetes-namespaces.js';
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from './kubernetes-resource-types.js';
import { schemaCauses } from './kubernetes-schemas.js';
import { strategicMerge } from './kubernetes-strategic-merge.js';
import { KIND_STRATEGIES } from './kubernetes-strategies.js';
import { metadataCauses } from './kubernetes-validation.js';
import { objectId, subjectOf, wireObject, wireRecord } from './kubernetes-wire.js';

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** A resource request: `/…/{plural}[/{name}[/{subresource}]]` in a namespace or cluster-wide. */
export interface ResourceRequest {
  request: SandboxRequest;
  ctx: ApiContext;
  operation: string;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Dispatches a resource request by method to the verbs of the API server. */
export function handleResource(r: ResourceRequest): SandboxResponse {
  const { request, name } = r;
  if (request.query.get('watch') === 'true' || request.query.get('watch') === '1') {
    throw k8sError.badRequest('the sandbox does not serve watches; poll with get/list instead');
  }
  const dryRun = request.query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) {
    throw k8sError.badRequest(
      `dryRun: Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"`,
    );
  }
  if (name === undefined) {
    if (request.method === 'GET') return json(200, list(r));
    if (request.method === 'POST') return create(r);
    if (request.method === 'DELETE') return deleteCollection(r);
    throw k8sError.methodNotAllowed(request.method);
  }
  switch (request.method) {
    case 'GET':
      return json(200, read(r));
    case 'PUT':
      return json(200, replace(r));
    case 'PATCH':
      return patch(r);
    case 'DELETE':
      if (r.subresource) throw k8sError.methodNotAllowed(request.method);
      return json(200, remove(r));
    default:
      throw k8sError.methodNotAllowed(request.method);
  }
}

function json(status: number, body: object): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function collectionOf(r: ResourceRequest) {
  return r.ctx.collection<Json>(r.type.collection);
}

function existing(r: ResourceRequest): StoredRecord<Json> {
  const record = collectionOf(r).get(objectId(r.type, r.namespace, r.name!));
  if (!record) throw k8sError.notFound(subjectOf(r.type, r.name!));
  return record;
}

function view(r: ResourceRequest, record: StoredRecord<Json> | { data: Json; generation?: number }): Json {
  if (r.subresource === 'scale') return deploymentScale(record.data, String(record.generation ?? ''));
  return wireObject(r.type, record.data, record.generation);
}

function read(r: ResourceRequest): Json {
  return view(r, existing(r));
}

function list(r: ResourceRequest): Json {
  const { request, type, namespace } = r;
  const requirements = parseLabelSelector(request.query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(request.query.get('fieldSelector') ?? '');
  let entries = collectionOf(r)
    .entries()
    .filter(([id]) => namespace === undefined || id.startsWith(`${namespace}/`))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([, record]) => {
      const metadata = asObject(record.data.metadata);
      return (
        matchesLabels(requirements, asObject(metadata.labels) as Record<string, string>) &&
        fields.every((f) => (String(metadata[f.field] ?? '') === f.value) === f.equal)
      );
    });
  const start = request.query.get('continue');
  if (start) {
    const after = Buffer.from(start, 'base64url').toString('utf8');
    entries = entries.filter(([id]) => id > after);
  }
  const limit = Number(request.query.get('limit') ?? 0);
  const page = limit > 0 ? entries.slice(0, limit) : entries;
  const more = entries.length - page.length;
  return {
    apiVersion: apiVersionOf(type),
    kind: `${type.kind}List`,
    metadata: {
      resourceVersion: String(r.ctx.store.generation),
      ...(more > 0
        ? { continue: Buffer.from(page.at(-1)![0]).toString('base64url'), remainingItemCount: more }
        : {}),
    },
    items: page.map(([, record]) => wireRecord(type, record, false)),
  };
}

function parseFieldSelector(selector: string): { field: string; value: string; equal: boolean }[] {
  const supported: Record<string, string> = { 'metadata.name': 'name', 'metadata.namespace': 'namespace' };
  return selector
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = part.trim().match(/^([^=!]+)(==|=|!=)(.*)$/);
      const field = match ? supported[match[1]!] : undefined;
      if (!match || !field) {
        throw k8sError.badRequest(`field label not supported: ${match?.[1] ?? part}`);
      }
      return { field, value: match[3]!, equal: match[2] !== '!=' };
    });
}

function create(r: ResourceRequest): SandboxResponse {
  const { request, type, namespace } = r;
  if (type.namespaced && namespace === undefined) throw k8sError.methodNotAllowed(request.method);
  const body = asObject(parseJsonBody(request));
  const metadata = asObject(body.metadata);
  let name = metadata.name as string | undefined;
  if ((name === undefined || name === '') && typeof metadata.generateName === 'string') {
    name = `${metadata.generateName}${randomSuffix()}`;
    body.metadata = { ...metadata, name };
  }
  if (type.namespaced) requireWritableNamespace(r.ctx, namespace!);
  const result = write(r, {
    name: name ?? '',
    candidate: body,
    manager: fieldManager(request),
    mustNotExist: true,
  });
  return json(201, view(r, result));
}

function replace(r: ResourceRequest): Json {
  const { request, name } = r;
  const previous = existing(r);
  const body = asObject(parseJsonBody(request));
  checkUrlName(body, name!);
  const candidate = forSubresource(r, previous, body);
  return view(r, write(r, { previous, candidate, manager: fieldManager(request) }));
}

function patch(r: ResourceRequest): SandboxResponse {
  const { request, name } = r;
  const contentType = (headerValue(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const kind = (Object.keys(PATCH_TYPES) as (keyof typeof PATCH_TYPES)[]).find(
    (k) => PATCH_TYPES[k] === contentType,
  );
  if (!kind) throw k8sError.unsupportedMediaType(contentType);
  const force = request.query.get('force');
  const manager = request.query.get('fieldManager') ?? undefined;
  if (kind !== 'apply' && force !== null) {
    throw optionsInvalid([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not be specified for non-apply patch',
        field: 'force',
      },
    ]);
  }
  if (kind === 'apply') {
    if (!manager) {
      throw optionsInvalid([
        {
          reason: 'FieldValueRequired',
          message: 'Required value: is required for apply patch',
          field: 'fieldManager',
        },
      ]);
    }
    return apply(r, manager, force === 'true' || force === '1');
  }
  const previous = existing(r);
  const body = parseJsonBody(request);
  const current = view(r, previous);
  const patched =
    kind === 'json'
      ? applyJsonPatch(current, body)
      : kind === 'merge'
        ? mergePatch(current, body)
        : strategicMerge(current, body);
  const candidate = asObject(patched);
  checkUrlName(candidate, name!);
  const target = forSubresource(r, previous, candidate);
  return json(
    200,
    view(r, write(r, { previous, candidate: target, manager: manager ?? fieldManager(request) })),
  );
}

function apply(r: ResourceRequest, manager: string, force: boolean): SandboxResponse {
  const { request, type, name, namespace } = r;
  if (r.subresource)
    throw k8sError.badRequest(
      `server-side apply to the ${r.subresource} subresource is not served by the sandbox`,
    );
  let applied: Json;
  try {
    applied = asObject(parseYaml(request.body));
  } catch (error) {
    throw k8sError.badRequest(
      `error decoding YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (applied.apiVersion !== apiVersionOf(type) || applied.kind !== type.kind) {
    throw k8sError.badRequest(
      `apply patch must set apiVersion ${apiVersionOf(type)} and kind ${type.kind} (got ${JSON.stringify(applied.apiVersion)}, ${JSON.stringify(applied.kind)})`,
    );
  }
  checkUrlName(applied, name!);
  const metadata = asObject(applied.metadata);
  delete metadata.managedFields;
  applied.metadata = { ...metadata, name };
  delete applied.status;
  const causes = schemaCauses(type.kind, applied);
  if (causes.length) throw k8sError.invalid(subjectOf(type, name!), causes);
  const previous = collectionOf(r).get(objectId(type, namespace, name!));
  if (!previous && type.namespaced) requireWritableNamespace(r.ctx, namespace!);
  if (
    previous &&
    metadata.resourceVersion !== undefined &&
    metadata.resourceVersion !== String(previous.generation)
  ) {
    throw k8sError.staleResourceVersion(subjectOf(type, name!));
  }
  const result = serverSideApply(previous?.data, applied, {
    manager,
    force,
    apiVersion: apiVersionOf(type),
    time: k8sTimestamp(r.ctx.now()),
    subject: subjectOf(type, name!),
  });
  const stored = write(r, {
    previous,
    candidate: wireObject(type, result.object, previous?.generation),
    manager,
    managedFields: result.managedFields,
    mustNotExist: !previous,
    name: name!,
  });
  return json(previous ? 200 : 201, view(r, stored));
}

function remove(r: ResourceRequest): Json {
  const { request, type, name, ctx } = r;
  const previous = existing(r);
  const options = request.body.trim() ? asObject(parseJsonBody(request)) : {};
  const preconditions = asObject(options.preconditions);
  const metadata = asObject(previous.data.metadata);
  const subject = subjectOf(type, name!);
  if (preconditions.uid !== undefined && preconditions.uid !== metadata.uid) {
    throw k8sError.conflict(
      subject,
      `Precondition failed: UID in precondition: ${String(preconditions.uid)}, UID in object meta: ${String(metadata.uid)}`,
    );
  }
  if (
    preconditions.resourceVersion !== undefined &&
    preconditions.resourceVersion !== String(previous.generation)
  ) {
    throw k8sError.conflict(
      subject,
      `Precondition failed: ResourceVersion in precondition: ${String(preconditions.resourceVersion)}, ResourceVersion in object meta: ${previous.generation}`,
    );
  }
  const dryRun = request.query.has('dryRun');
  if (type.kind === 'Namespace') {
    if (UNDELETABLE_NAMESPACES.includes(name!))
      throw k8sError.forbidden(subject, 'this namespace may not be deleted');
    if (isTerminating(previous.data)) {
      throw k8sError.conflict(
        subject,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }
    const terminating = terminateNamespace(previous.data, ctx, r.operation);
    if (dryRun) return wireObject(type, terminating, previous.generation);
    return wireRecord(type, collectionOf(r).put(name!, terminating));
  }
  if (!dryRun) collectionOf(r).delete(objectId(type, r.namespace, name!));
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: type.group, kind: type.plural, uid: metadata.uid },
  };
}

function deleteCollection(r: ResourceRequest): SandboxResponse {
  const { type, request } = r;
  if (type.kind === 'Namespace' || r.namespace === undefined) throw k8sError.methodNotAllowed(request.method);
  const { items } = list(r) as { items: Json[] };
  if (!request.query.has('dryRun')) {
    for (const item of items)
      collectionOf(r).delete(objectId(type, r.namespace, asObject(item.metadata).name as string));
  }
  return json(200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { group: type.group, kind: type.plural },
  });
}

interface WriteOptions {
  previous?: StoredRecord<Json>;
  candidate: Json;
  manager: string;
  /** Create: answer AlreadyExists (after validation, as storage does) when the object exists. */
  mustNotExist?: boolean;
  /** Server-side apply's managedFields (else the write is recorded as an Update by `manager`). */
  managedFields?: ManagedFieldsEntry[];
  /** The object name when there is no previous object. */
  name?: string;
}

/**
 * The write path every verb shares: type/name checks, strict field validation, resourceVersion
 * precondition, server-owned metadata, defaulting, validation (immutable fields included),
 * generation, managedFields, the kind's status, then one store write — or none when nothing
 * changed (a no-op write keeps its resourceVersion, as in kube-apiserver) or on dry run.
 */
function write(
  r: ResourceRequest,
  options: WriteOptions,
): StoredRecord<Json> | { data: Json; generation?: number } {
  const { type, namespace, ctx, request } = r;
  const { previous } = options;
  const strategy = KIND_STRATEGIES[type.kind]!;
  const object = stripNulls(structuredClone(options.candidate)) as Json;
  const name = (previous ? asObject(previous.data.metadata).name : options.name) as string;
  const subject = subjectOf(type, name);
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(type)) {
    throw k8sError.badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersionOf(type)})`,
    );
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw k8sError.badRequest(
      `the kind in the data (${String(object.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  const metadata = asObject(object.metadata);
  if (type.namespaced && metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw k8sError.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const fieldCauses = schemaCauses(type.kind, object);
  if (fieldCauses.length) throw k8sError.invalid(subject, fieldCauses);
  if (
    previous &&
    metadata.resourceVersion !== undefined &&
    metadata.resourceVersion !== String(previous.generation)
  ) {
    throw k8sError.staleResourceVersion(subject);
  }

  const now = ctx.now();
  const w: WriteContext = { ctx, operation: r.operation, now, timestamp: k8sTimestamp(now) };
  const before = previous?.data;
  const beforeMeta = asObject(before?.metadata);
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    generation: _g,
    selfLink: _s,
    uid: _u,
    creationTimestamp: _c,
    deletionTimestamp: _d,
    ...userMeta
  } = metadata;
  const next: Json = {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    ...object,
    metadata: {
      ...userMeta,
      name,
      ...(type.namespaced ? { namespace } : {}),
      uid: beforeMeta.uid ?? randomUUID(),
      creationTimestamp: beforeMeta.creationTimestamp ?? w.timestamp,
      ...(beforeMeta.deletionTimestamp ? { deletionTimestamp: beforeMeta.deletionTimestamp } : {}),
    },
  };
  if (!type.namespaced) delete asObject(next.metadata).namespace;
  if (r.subresource !== 'status') {
    // Status belongs to the controllers: writes to the main resource leave it as it was.
    if (before?.status !== undefined) next.status = structuredClone(before.status);
    else delete next.status;
  }
  next._sandbox = structuredClone(asObject(before?._sandbox));
  strategy.defaults(next, before, w);
  const causes: StatusCause[] = [...metadataCauses(type, next), ...strategy.validate(next, before)];
  if (causes.length) throw k8sError.invalid(subject, causes);
  const id = objectId(type, namespace, name);
  if (options.mustNotExist && collectionOf(r).has(id)) throw k8sError.alreadyExists(subject);

  const specChanged = !before || !equal(before.spec, next.spec);
  if (type.hasGeneration) {
    const generation = (beforeMeta.generation as number | undefined) ?? 0;
    asObject(next.metadata).generation = before ? generation + (specChanged ? 1 : 0) : 1;
  }
  const managedFields =
    options.managedFields ??
    recordUpdate(before, next, options.manager, apiVersionOf(type), w.timestamp, r.subresource);
  if (managedFields.length) asObject(next.metadata).managedFields = managedFields;
  strategy.afterChange?.(next, before, specChanged, w);
  if (type.hasGeneration) asObject(next._sandbox).specHash = specHash(next.spec);

  if (previous && equal(previous.data, next)) return previous;
  if (request.query.has('dryRun'))
    return { data: next, ...(previous ? { generation: previous.generation } : {}) };
  return collectionOf(r).put(id, next);
}

/**
 * What a subresource write changes: `/scale` takes only `spec.replicas` (from a Scale object),
 * `/status` only `status`; everything else stays as stored. The body's resourceVersion is kept for
 * the precondition check.
 */
function forSubresource(r: ResourceRequest, previous: StoredRecord<Json>, body: Json): Json {
  if (!r.subresource) return body;
  const current = wireObject(r.type, previous.data, previous.generation);
  const resourceVersion = asObject(body.metadata).resourceVersion;
  const metadata = {
    ...asObject(current.metadata),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
  if (r.subresource === 'scale') {
    return {
      ...current,
      metadata,
      spec: { ...asObject(current.spec), replicas: asObject(body.spec).replicas },
    };
  }
  return { ...current, metadata, status: body.status };
}

function requireWritableNamespace(ctx: ApiContext, namespace: string): void {
  const type = RESOURCE_TYPES.find((t) => t.kind === 'Namespace')!;
  const record = ctx.collection<Json>(type.collection).get(namespace);
  if (!record) throw k8sError.notFound(subjectOf(type, namespace));
  if (isTerminating(record.data)) {
    throw k8sError.forbidden(
      subjectOf(type, namespace),
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

function checkUrlName(body: Json, name: string): void {
  const metadata = asObject(body.metadata);
  if (metadata.name !== undefined && metadata.name !== name) {
    throw k8sError.badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  body.metadata = { ...metadata, name };
}

function optionsInvalid(causes: StatusCause[]): ApiError {
  return k8sError.invalid(
    { resource: 'patchoptions', kind: 'PatchOptions', group: 'meta.k8s.io', name: '' },
    causes,
  );
}

/** `fieldManager` from the query, else the client program from User-Agent (as kube-apiserver derives it). */
function fieldManager(request: SandboxRequest): string {
  const explicit = request.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = headerValue(request, 'user-agent') ?? '';
  return agent.split('/')[0]?.trim() || 'unknown';
}

function parseJsonBody(request: SandboxRequest): unknown {
  try {
    return JSON.parse(request.body || 'null');
  } catch (error) {
    throw k8sError.badRequest(
      `the request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `null` means "not set" for k8s optional fields. */
function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (typeof value !== 'object' || value === null) return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) result[key] = stripNulls(item);
  return result;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}
