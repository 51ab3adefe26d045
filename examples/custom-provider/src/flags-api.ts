import type {
  ApiContext,
  SandboxApi,
  SandboxRequest,
  SandboxResponse,
  StoredRecord,
} from '@patchbay/sandbox';
import { ApiError } from '@patchbay/sandbox';
import type { z } from 'zod';
import {
  type CreateFlagBody,
  createFlagSchema,
  updateFlagSchema,
  type ValueType,
  type WireFlag,
  type WireTag,
} from './flags-wire.js';

const PREFIX = '/flags/v1/projects/';
const PATH = /^\/flags\/v1\/projects\/([a-z0-9-]+)\/flags(?:\/([^/]+))?$/;

/** What the sandbox stores per flag (collection `flag`, id `{project}/{key}`): the wire shape minus `version`. */
type StoredFlag = Omit<WireFlag, 'version' | 'name'> & { project: string };

const DEFAULTS: Record<ValueType, boolean | string | number> = { boolean: false, string: '', number: 0 };

/**
 * The sandbox endpoint of a small feature-flags REST API (`/flags/v1/...`). Versions come from the store's
 * generation, so console edits move them too and a stale `If-Match` is refused (compare-and-set).
 *
 * Operations (for counters and faults): `CreateFlag`, `GetFlag`, `UpdateFlag`, `DeleteFlag`.
 * Published limits: reads 50/s (burst 100), writes 10/s (burst 20).
 */
export const flagsApi = (): SandboxApi => ({
  name: 'flags',
  matches: (request) => request.path.startsWith(PREFIX),
  operation,
  handle(request, ctx) {
    const match = PATH.exec(request.path);
    const op = operation(request);
    if (!match || op === 'unknown') {
      throw new ApiError(404, 'NOT_FOUND', `No flags operation ${request.method} ${request.path}`);
    }
    const project = match[1]!;
    const key = match[2] ? decodeURIComponent(match[2]) : undefined;
    const flags = ctx.collection<StoredFlag>('flag');
    const idOf = (k: string) => `${project}/${k}`;
    switch (op) {
      case 'CreateFlag':
        return createFlag(request, ctx, project);
      case 'GetFlag': {
        const record = flags.get(idOf(key!));
        if (!record) throw notFound(project, key!);
        return ok(record);
      }
      case 'UpdateFlag':
        return updateFlag(request, ctx, idOf(key!), project, key!);
      default: {
        const record = flags.get(idOf(key!));
        if (!record) throw notFound(project, key!);
        checkIfMatch(request, record, false);
        flags.delete(idOf(key!));
        return { status: 204 };
      }
    }
  },
  errorResponse: (error): SandboxResponse => ({
    status: error.status,
    headers: error.status === 429 ? { 'retry-after': '1' } : {},
    body: { error: { code: error.code, message: error.message } },
  }),
  throttleError: (op) => new ApiError(429, 'RATE_LIMITED', `Too many requests to ${op}; retry later`),
  serverError: () => new ApiError(503, 'UNAVAILABLE', 'The service is temporarily unavailable'),
  defaultRateLimit: (op) =>
    op === 'GetFlag'
      ? { bucket: 'reads', limit: { perSecond: 50, burst: 100 } }
      : { bucket: 'writes', limit: { perSecond: 10, burst: 20 } },
  console: {
    kinds: ['flag'],
    tag(_kind, record: StoredRecord, key, value) {
      const data = record.data as StoredFlag;
      data.tags = mergeTags(data.tags, { [key]: value });
    },
  },
});

function operation(request: SandboxRequest): string {
  const match = PATH.exec(request.path);
  if (!match) return 'unknown';
  if (!match[2]) return request.method === 'POST' ? 'CreateFlag' : 'unknown';
  return (
    ({ GET: 'GetFlag', PATCH: 'UpdateFlag', DELETE: 'DeleteFlag' } as Record<string, string>)[
      request.method
    ] ?? 'unknown'
  );
}

function createFlag(request: SandboxRequest, ctx: ApiContext, project: string): SandboxResponse {
  const body: CreateFlagBody = parse(createFlagSchema, request.body);
  const flags = ctx.collection<StoredFlag>('flag');
  const tokens = ctx.collection<{ id: string }>('idempotency');
  const token = header(request, 'idempotency-key');
  const id = `${project}/${body.key}`;
  // A retried create with the same key answers the flag it made instead of ALREADY_EXISTS.
  const earlier = token ? tokens.get(`${project}/${token}`) : undefined;
  if (earlier && earlier.data.id === id) {
    const record = flags.get(id);
    if (record) return ok(record);
  }
  if (flags.has(id))
    throw new ApiError(409, 'ALREADY_EXISTS', `Flag ${body.key} already exists in ${project}`);
  const defaultValue = body.defaultValue ?? DEFAULTS[body.valueType];
  checkValueType(body.valueType, defaultValue);
  const record = flags.put(id, {
    project,
    key: body.key,
    valueType: body.valueType,
    enabled: body.enabled ?? false,
    rolloutBasisPoints: body.rolloutBasisPoints ?? 10_000,
    description: body.description ?? '',
    defaultValue,
    tags: mergeTags([], Object.fromEntries((body.tags ?? []).map((t) => [t.key, t.value]))),
  });
  if (token) tokens.put(`${project}/${token}`, { id });
  return ok(record, 201);
}

function updateFlag(
  request: SandboxRequest,
  ctx: ApiContext,
  id: string,
  project: string,
  key: string,
): SandboxResponse {
  const flags = ctx.collection<StoredFlag>('flag');
  const body = parse(updateFlagSchema, request.body);
  const record = flags.get(id);
  if (!record) throw notFound(project, key);
  checkIfMatch(request, record, true);
  if (body.valueType !== undefined && body.valueType !== record.data.valueType) {
    throw new ApiError(400, 'IMMUTABLE_FIELD', 'valueType cannot change; delete and re-create the flag');
  }
  const next = structuredClone(record.data);
  if (body.enabled !== undefined) next.enabled = body.enabled;
  if (body.rolloutBasisPoints !== undefined) next.rolloutBasisPoints = body.rolloutBasisPoints;
  if (body.description !== undefined) next.description = body.description;
  if (body.defaultValue !== undefined) next.defaultValue = body.defaultValue;
  checkValueType(next.valueType, next.defaultValue);
  if (body.tags) next.tags = mergeTags(next.tags, body.tags);
  return ok(flags.put(id, next));
}

/** Merges tags by key: existing keys keep their place, new ones go last, a `null` value removes the key. */
function mergeTags(tags: WireTag[], changes: Record<string, string | null>): WireTag[] {
  const out: WireTag[] = [];
  for (const tag of tags) {
    const change = changes[tag.key];
    if (change === undefined) out.push({ ...tag });
    else if (change !== null) out.push({ key: tag.key, value: change });
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value !== null && !tags.some((t) => t.key === key)) out.push({ key, value });
  }
  return out;
}

function checkIfMatch(request: SandboxRequest, record: StoredRecord<StoredFlag>, required: boolean): void {
  const ifMatch = header(request, 'if-match');
  if (ifMatch === undefined) {
    if (required) throw new ApiError(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the version you read');
    return;
  }
  if (ifMatch.replaceAll('"', '') !== String(record.generation)) {
    throw new ApiError(
      412,
      'VERSION_MISMATCH',
      `Flag ${record.data.key} is at version ${record.generation}, not ${ifMatch}; read it again`,
    );
  }
}

function checkValueType(valueType: ValueType, value: unknown): void {
  if (typeof value !== valueType) {
    throw new ApiError(
      400,
      'INVALID_ARGUMENT',
      `defaultValue must be a ${valueType}, got ${JSON.stringify(value)}`,
    );
  }
}

function ok(record: StoredRecord<StoredFlag>, status = 200): SandboxResponse {
  const { project, ...flag } = record.data;
  const version = String(record.generation);
  const body: WireFlag = { name: `projects/${project}/flags/${flag.key}`, ...flag, version };
  return { status, headers: { etag: `"${version}"` }, body };
}

function parse<T>(schema: z.ZodType<T>, raw: string): T {
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : {};
  } catch {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'Body is not JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new ApiError(400, 'INVALID_ARGUMENT', `Invalid request: ${detail}`);
  }
  return result.data;
}

function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function notFound(project: string, key: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `No flag ${key} in project ${project}`);
}
