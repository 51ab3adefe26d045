import type { SandboxApi } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { googleErrorResponse } from '../../../protocols/google/google-error.js';
import { googleRoutes } from '../../../protocols/google/google-rest-routes.js';
import { sqlError } from './cloudsql-errors.js';
import {
  afterConsoleWrite,
  completeOperation,
  deleteInstance,
  failOperation,
  getInstance,
  getOperation,
  insertInstance,
  listInstances,
  listOperations,
  patchInstance,
  SqlEnv,
  settleCloudSql,
} from './cloudsql-instances.js';
import type { SqlInstance } from './cloudsql-records.js';

const PROJECT = '/v1/projects/{project}';
const ROUTES = googleRoutes([
  { method: 'GET', path: `${PROJECT}/instances/{instance}`, operation: 'instances.get' },
  { method: 'GET', path: `${PROJECT}/instances`, operation: 'instances.list' },
  { method: 'POST', path: `${PROJECT}/instances`, operation: 'instances.insert' },
  { method: 'PATCH', path: `${PROJECT}/instances/{instance}`, operation: 'instances.patch' },
  { method: 'DELETE', path: `${PROJECT}/instances/{instance}`, operation: 'instances.delete' },
  { method: 'GET', path: `${PROJECT}/operations/{operation}`, operation: 'operations.get' },
  { method: 'GET', path: `${PROJECT}/operations`, operation: 'operations.list' },
]);

type Handler = (request: SandboxRequest, params: Record<string, string>, env: SqlEnv) => object;

const HANDLERS: Record<string, Handler> = {
  'instances.get': getInstance,
  'instances.list': listInstances,
  'instances.insert': insertInstance,
  'instances.patch': patchInstance,
  'instances.delete': deleteInstance,
  'operations.get': getOperation,
  'operations.list': listOperations,
};

/**
 * Cloud SQL Admin API v1 (REST/JSON under `/v1/projects/{p}/instances|operations`). Collections:
 * `instance` (id: `{project}/{instance}`) and `operation` (id: `{project}/{operation}`). Every
 * write answers a Cloud SQL operation; one admin operation per instance at a time. Console actions
 * `complete-operation` / `fail-operation` end an instance's running operation now (the latter with an `error`).
 */
export const cloudSqlApi = (): SandboxApi => ({
  name: 'cloudsql',
  matches: (request) => /^\/v1\/projects\/[^/]+\/(instances|operations)(\/|$)/.test(request.path),
  operation: (request) => ROUTES.match(request)?.operation ?? 'unknown',
  handle(request, ctx) {
    const route = ROUTES.match(request);
    const handler = route && HANDLERS[route.operation];
    if (!route || !handler) {
      throw sqlError.unimplemented(
        `The sandbox does not implement ${request.method} ${request.path}; implemented: ${ROUTES.describe()}`,
      );
    }
    return { status: 200, body: handler(request, route.params, new SqlEnv(ctx)) };
  },
  errorResponse: (error) => googleErrorResponse(error),
  throttleError: () => sqlError.throttled(),
  serverError: () => sqlError.unavailable(),
  // One per-user bucket for every Cloud SQL Admin method: 180 requests a minute.
  defaultRateLimit: () => ({ bucket: 'queries', limit: { burst: 180, perSecond: 3 } }),
  settle: (ctx) => settleCloudSql(new SqlEnv(ctx)),
  console: {
    kinds: ['instance'],
    tag(_kind, record, key, value) {
      const data = record.data as SqlInstance;
      data.settings = { ...data.settings, userLabels: { ...data.settings.userLabels, [key]: value } };
    },
    afterWrite(kind, id, ctx) {
      if (kind === 'instance') afterConsoleWrite(id, new SqlEnv(ctx));
    },
    actions: {
      'complete-operation': (_kind, id, ctx) => completeOperation(id, new SqlEnv(ctx)),
      'fail-operation': (_kind, id, ctx) => failOperation(id, new SqlEnv(ctx)),
    },
  },
});
