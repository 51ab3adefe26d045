import type { SandboxApi } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { googleErrorResponse, serviceUnavailable } from '../../../protocols/google/google-error.js';
import { googleRoutes } from '../../../protocols/google/google-rest-routes.js';
import {
  completeOperation,
  createCluster,
  createNodePool,
  deleteCluster,
  deleteNodePool,
  GkeEnv,
  getCluster,
  getNodePool,
  getOperation,
  listClusters,
  listNodePools,
  listOperations,
  setLabels,
  setNodePoolAutoscaling,
  setNodePoolSize,
  settleGke,
  updateCluster,
  updateNodePool,
} from './gke-clusters.js';
import { gkeError } from './gke-errors.js';
import type { GkeCluster } from './gke-records.js';

const LOCATION = '/v1/projects/{project}/locations/{location}';
const CLUSTER = `${LOCATION}/clusters/{cluster}`;
const POOL = `${CLUSTER}/nodePools/{nodePool}`;
const ROUTES = googleRoutes([
  { method: 'GET', path: CLUSTER, operation: 'GetCluster' },
  { method: 'GET', path: `${LOCATION}/clusters`, operation: 'ListClusters' },
  { method: 'POST', path: `${LOCATION}/clusters`, operation: 'CreateCluster' },
  { method: 'PUT', path: CLUSTER, operation: 'UpdateCluster' },
  { method: 'DELETE', path: CLUSTER, operation: 'DeleteCluster' },
  { method: 'POST', path: `${CLUSTER}:setResourceLabels`, operation: 'SetLabels' },
  { method: 'GET', path: POOL, operation: 'GetNodePool' },
  { method: 'GET', path: `${CLUSTER}/nodePools`, operation: 'ListNodePools' },
  { method: 'POST', path: `${CLUSTER}/nodePools`, operation: 'CreateNodePool' },
  { method: 'PUT', path: POOL, operation: 'UpdateNodePool' },
  { method: 'POST', path: `${POOL}:setAutoscaling`, operation: 'SetNodePoolAutoscaling' },
  { method: 'POST', path: `${POOL}:setSize`, operation: 'SetNodePoolSize' },
  { method: 'DELETE', path: POOL, operation: 'DeleteNodePool' },
  { method: 'GET', path: `${LOCATION}/operations/{operation}`, operation: 'GetOperation' },
  { method: 'GET', path: `${LOCATION}/operations`, operation: 'ListOperations' },
]);

type Handler = (request: SandboxRequest, params: Record<string, string>, env: GkeEnv) => object;

const HANDLERS: Record<string, Handler> = {
  GetCluster: getCluster,
  ListClusters: listClusters,
  CreateCluster: createCluster,
  UpdateCluster: updateCluster,
  DeleteCluster: deleteCluster,
  SetLabels: setLabels,
  GetNodePool: getNodePool,
  ListNodePools: listNodePools,
  CreateNodePool: createNodePool,
  UpdateNodePool: updateNodePool,
  SetNodePoolAutoscaling: setNodePoolAutoscaling,
  SetNodePoolSize: setNodePoolSize,
  DeleteNodePool: deleteNodePool,
  GetOperation: getOperation,
  ListOperations: listOperations,
};

/**
 * Google Kubernetes Engine API v1, `projects/p/locations/l/...` (name-form) requests. Collections:
 * `cluster` (id: `projects/p/locations/l/clusters/c`), `nodePool` (id: `{cluster}/nodePools/np`),
 * `operation` (id: `projects/p/locations/l/operations/o`). One operation per cluster at a time; console action
 * `complete-operation` (on a cluster) finishes its running operation now.
 */
export const gkeApi = (): SandboxApi => ({
  name: 'gke',
  matches: (request) =>
    /^\/v1\/projects\/[^/]+\/(locations|zones)\/[^/]+\/(clusters|operations)(\/|:|$)/.test(request.path),
  operation: (request) => ROUTES.match(request)?.operation ?? 'unknown',
  handle(request, ctx) {
    const route = ROUTES.match(request);
    const handler = route && HANDLERS[route.operation];
    if (!route || !handler) {
      throw gkeError.unimplemented(
        `The sandbox does not implement ${request.method} ${request.path} (use the projects/p/locations/l name form); implemented: ${ROUTES.describe()}`,
      );
    }
    return { status: 200, body: handler(request, route.params, new GkeEnv(ctx)) };
  },
  errorResponse: (error) => googleErrorResponse(error),
  throttleError: () => gkeError.throttled(),
  serverError: () => serviceUnavailable(),
  // GKE API: 3,000 requests a minute per project, shared by every method.
  defaultRateLimit: () => ({ bucket: 'requests', limit: { burst: 3000, perSecond: 50 } }),
  settle: (ctx) => settleGke(new GkeEnv(ctx)),
  console: {
    kinds: ['cluster', 'nodePool'],
    tag(kind, record, key, value) {
      if (kind === 'cluster') {
        const data = record.data as GkeCluster;
        data.resourceLabels = { ...data.resourceLabels, [key]: value };
      } else {
        const data = record.data as { config: { resourceLabels?: Record<string, string> } };
        data.config = { ...data.config, resourceLabels: { ...data.config.resourceLabels, [key]: value } };
      }
    },
    actions: {
      'complete-operation': (_kind, id, ctx) => completeOperation(id, new GkeEnv(ctx)),
    },
  },
});
