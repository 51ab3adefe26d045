import type { SandboxApi } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { googleErrorResponse, serviceUnavailable } from '../../../protocols/google/google-error.js';
import { googleRoutes } from '../../../protocols/google/google-rest-routes.js';
import { runError } from './cloudrun-errors.js';
import type { RunService } from './cloudrun-records.js';
import {
  afterConsoleWrite,
  createService,
  deleteService,
  getOperation,
  getService,
  listServices,
  RunEnv,
  settleCloudRun,
  updateService,
} from './cloudrun-services.js';

const LOCATION = '/v2/projects/{project}/locations/{location}';
const ROUTES = googleRoutes([
  { method: 'GET', path: `${LOCATION}/services/{service}`, operation: 'GetService' },
  { method: 'GET', path: `${LOCATION}/services`, operation: 'ListServices' },
  { method: 'POST', path: `${LOCATION}/services`, operation: 'CreateService' },
  { method: 'PATCH', path: `${LOCATION}/services/{service}`, operation: 'UpdateService' },
  { method: 'DELETE', path: `${LOCATION}/services/{service}`, operation: 'DeleteService' },
  { method: 'GET', path: `${LOCATION}/operations/{operation}`, operation: 'GetOperation' },
]);

type Handler = (request: SandboxRequest, params: Record<string, string>, env: RunEnv) => object;

const HANDLERS: Record<string, Handler> = {
  GetService: getService,
  ListServices: listServices,
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  GetOperation: getOperation,
};

const READS = new Set(['GetService', 'ListServices', 'GetOperation']);

/**
 * Cloud Run Admin API v2 (REST/JSON under `/v2/projects/…`), services only. Collections: `service`
 * (id: `projects/p/locations/l/services/s`) and `operation` (id: the operation name). Create, update
 * and delete answer `google.longrunning.Operation`s that finish after the operation delay.
 */
export const cloudRunApi = (): SandboxApi => ({
  name: 'cloudrun',
  matches: (request) => request.path.startsWith('/v2/projects/'),
  operation: (request) => ROUTES.match(request)?.operation ?? 'unknown',
  handle(request, ctx) {
    const route = ROUTES.match(request);
    const handler = route && HANDLERS[route.operation];
    if (!route || !handler) {
      throw runError.unimplemented(
        `The sandbox does not implement ${request.method} ${request.path}; implemented: ${ROUTES.describe()}`,
      );
    }
    return { status: 200, body: handler(request, route.params, new RunEnv(ctx)) };
  },
  errorResponse: (error) => googleErrorResponse(error),
  throttleError: (operation) => runError.throttled(!READS.has(operation)),
  serverError: () => serviceUnavailable(),
  // Cloud Run Admin API quotas, per project and region: 1,000 reads and 180 writes a minute.
  defaultRateLimit: (operation) =>
    READS.has(operation)
      ? { bucket: 'read', limit: { burst: 1000, perSecond: 1000 / 60 } }
      : { bucket: 'write', limit: { burst: 180, perSecond: 3 } },
  settle: (ctx) => settleCloudRun(new RunEnv(ctx)),
  console: {
    kinds: ['service'],
    tag(_kind, record, key, value) {
      const data = record.data as RunService;
      data.labels = { ...data.labels, [key]: value };
    },
    afterWrite(kind, id, ctx) {
      if (kind === 'service') afterConsoleWrite(id, new RunEnv(ctx));
    },
  },
});
