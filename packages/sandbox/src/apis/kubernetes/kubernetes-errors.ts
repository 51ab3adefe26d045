import { ApiError } from '../../core/api-error.js';
import type { SandboxRequest, SandboxResponse } from '../../core/sandbox-request.js';

/** One entry of a k8s `Status.details.causes`: which field is wrong and why. */
export interface StatusCause {
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueDuplicate`, `FieldValueNotSupported`, `FieldManagerConflict`… */
  reason: string;
  message: string;
  /** Dotted path with `[i]` indexes, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
}

/** What a Status names: the resource (`deployments`), its group and the object name. */
export interface StatusSubject {
  /** Plural resource name as k8s puts it in NotFound/AlreadyExists/Conflict (`deployments`). */
  resource: string;
  /** Kind as k8s puts it in Invalid (`Deployment`). */
  kind: string;
  group: string;
  name: string;
}

const qualified = (subject: StatusSubject, field: 'resource' | 'kind') =>
  subject.group ? `${subject[field]}.${subject.group}` : subject[field];

/**
 * The API server's errors, each rendered as a `Status` (kind Status, status Failure, reason, code).
 * Messages follow kube-apiserver's wording so code matching on them behaves as against a real cluster.
 */
export const k8sError = {
  notFound: (subject: StatusSubject) =>
    new ApiError(404, 'NotFound', `${qualified(subject, 'resource')} "${subject.name}" not found`, {
      details: { name: subject.name, group: subject.group, kind: subject.resource },
    }),
  alreadyExists: (subject: StatusSubject) =>
    new ApiError(409, 'AlreadyExists', `${qualified(subject, 'resource')} "${subject.name}" already exists`, {
      details: { name: subject.name, group: subject.group, kind: subject.resource },
    }),
  /** A write carrying a stale `metadata.resourceVersion` (or delete precondition). */
  staleResourceVersion: (subject: StatusSubject) =>
    k8sError.conflict(
      subject,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  conflict: (subject: StatusSubject, reason: string, causes?: StatusCause[]) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(subject, 'resource')} "${subject.name}": ${reason}`,
      {
        details: {
          name: subject.name,
          group: subject.group,
          kind: subject.resource,
          ...(causes ? { causes } : {}),
        },
      },
    ),
  /** Server-side apply found fields owned by other managers with other values. */
  applyConflict: (subject: StatusSubject, causes: StatusCause[]) =>
    new ApiError(
      409,
      'Conflict',
      `Apply failed with ${causes.length} conflict${causes.length === 1 ? '' : 's'}: ${causes
        .map((c) => `${c.message}: ${c.field}`)
        .join('\n')}`,
      { details: { name: subject.name, group: subject.group, kind: subject.resource, causes } },
    ),
  invalid: (subject: StatusSubject, causes: StatusCause[]) =>
    new ApiError(
      422,
      'Invalid',
      `${qualified(subject, 'kind')} "${subject.name}" is invalid: ${causes
        .map((c) => `${c.field}: ${c.message}`)
        .join(', ')}`,
      { details: { name: subject.name, group: subject.group, kind: subject.kind, causes } },
    ),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  forbidden: (subject: StatusSubject, reason: string) =>
    new ApiError(
      403,
      'Forbidden',
      `${qualified(subject, 'resource')} "${subject.name}" is forbidden: ${reason}`,
      { details: { name: subject.name, group: subject.group, kind: subject.resource } },
    ),
  methodNotAllowed: (method: string) =>
    new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    ),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (${contentType || 'none'}) - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
    ),
  pathNotFound: (path: string) =>
    new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`, {
      details: {},
    }),
  /** API priority and fairness rejecting a request: 429 with Retry-After. */
  tooManyRequests: () =>
    new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
      details: { retryAfterSeconds: 1 },
    }),
  serviceUnavailable: () =>
    new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {
      details: {},
    }),
  internal: (message: string) =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { details: {} }),
};

/** Renders an ApiError as a k8s `Status` object (429s carry Retry-After, as APF does). */
export function statusResponse(error: ApiError, _request?: SandboxRequest): SandboxResponse {
  const retryAfter = (error.extra.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
    },
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: error.message,
      reason: error.code,
      ...(error.extra.details !== undefined ? { details: error.extra.details } : {}),
      code: error.status,
    },
  };
}
