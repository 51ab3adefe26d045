import type { SandboxApi } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import {
  matchRoute,
  type RestRoute,
  restJsonError,
  restJsonResponse,
} from '../../../protocols/aws/aws-rest-json-protocol.js';
import { sigv4Region, sigv4Service } from '../../../protocols/aws/sigv4-service.js';
import {
  createCluster,
  deleteCluster,
  describeCluster,
  listClusters,
  updateClusterConfig,
  updateClusterVersion,
} from './eks-clusters.js';
import { EksEnv } from './eks-env.js';
import { eksError } from './eks-errors.js';
import {
  createNodegroup,
  deleteNodegroup,
  describeNodegroup,
  listNodegroups,
  updateNodegroupConfig,
  updateNodegroupVersion,
} from './eks-nodegroups.js';
import type { EksCluster, EksNodegroup } from './eks-records.js';
import { listTagsForResource, tagResource, untagResource } from './eks-tags.js';
import { describeUpdate, listUpdates, settleEks } from './eks-updates.js';

/** The EKS REST routes the sandbox serves (paths as in the EKS model). */
const ROUTES: RestRoute[] = [
  { method: 'POST', path: '/clusters', operation: 'CreateCluster' },
  { method: 'GET', path: '/clusters', operation: 'ListClusters' },
  { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster' },
  { method: 'DELETE', path: '/clusters/{name}', operation: 'DeleteCluster' },
  { method: 'POST', path: '/clusters/{name}/update-config', operation: 'UpdateClusterConfig' },
  { method: 'POST', path: '/clusters/{name}/updates', operation: 'UpdateClusterVersion' },
  { method: 'GET', path: '/clusters/{name}/updates', operation: 'ListUpdates' },
  { method: 'GET', path: '/clusters/{name}/updates/{updateId}', operation: 'DescribeUpdate' },
  { method: 'POST', path: '/clusters/{name}/node-groups', operation: 'CreateNodegroup' },
  { method: 'GET', path: '/clusters/{name}/node-groups', operation: 'ListNodegroups' },
  { method: 'GET', path: '/clusters/{name}/node-groups/{nodegroup}', operation: 'DescribeNodegroup' },
  { method: 'DELETE', path: '/clusters/{name}/node-groups/{nodegroup}', operation: 'DeleteNodegroup' },
  {
    method: 'POST',
    path: '/clusters/{name}/node-groups/{nodegroup}/update-config',
    operation: 'UpdateNodegroupConfig',
  },
  {
    method: 'POST',
    path: '/clusters/{name}/node-groups/{nodegroup}/update-version',
    operation: 'UpdateNodegroupVersion',
  },
  { method: 'POST', path: '/tags/{arn}', operation: 'TagResource' },
  { method: 'DELETE', path: '/tags/{arn}', operation: 'UntagResource' },
  { method: 'GET', path: '/tags/{arn}', operation: 'ListTagsForResource' },
];

/**
 * Amazon EKS (REST JSON): clusters, node groups, updates, tags. Collections `cluster` (id: name),
 * `nodegroup` (id: `cluster/nodegroup`), `update` (id: `cluster/updateId`).
 */
export const eksApi = (): SandboxApi => ({
  name: 'eks',
  matches: (request) => sigv4Service(request) === 'eks',
  operation: (request) => matchRoute(ROUTES, request)?.route.operation ?? 'unknown',
  handle(request, ctx) {
    const matched = matchRoute(ROUTES, request);
    if (!matched)
      throw eksError.invalidRequest(`The sandbox does not serve EKS ${request.method} ${request.path}`);
    const env = new EksEnv(ctx, sigv4Region(request));
    const { name = '', nodegroup = '', updateId = '', arn = '' } = matched.params;
    const body = () => parseBody(request);
    const nodegroupQuery = request.query.get('nodegroupName') ?? undefined;
    const result = ((): object => {
      switch (matched.route.operation) {
        case 'CreateCluster':
          return createCluster(body(), env);
        case 'ListClusters':
          return listClusters(env);
        case 'DescribeCluster':
          return describeCluster(name, env);
        case 'DeleteCluster':
          return deleteCluster(name, env);
        case 'UpdateClusterConfig':
          return updateClusterConfig(name, body(), env);
        case 'UpdateClusterVersion':
          return updateClusterVersion(name, body(), env);
        case 'ListUpdates':
          return listUpdates(env, name, nodegroupQuery);
        case 'DescribeUpdate':
          return describeUpdate(env, name, updateId, nodegroupQuery);
        case 'CreateNodegroup':
          return createNodegroup(name, body(), env);
        case 'ListNodegroups':
          return listNodegroups(name, env);
        case 'DescribeNodegroup':
          return describeNodegroup(name, nodegroup, env);
        case 'DeleteNodegroup':
          return deleteNodegroup(name, nodegroup, env);
        case 'UpdateNodegroupConfig':
          return updateNodegroupConfig(name, nodegroup, body(), env);
        case 'UpdateNodegroupVersion':
          return updateNodegroupVersion(name, nodegroup, body(), env);
        case 'TagResource':
          return tagResource(arn, body(), env);
        case 'UntagResource':
          return untagResource(arn, request.query.getAll('tagKeys'), env);
        default:
          return listTagsForResource(arn, env);
      }
    })();
    return restJsonResponse(request, result);
  },
  errorResponse: restJsonError,
  throttleError: () => eksError.throttling(),
  serverError: () => eksError.server(),
  // EKS publishes no per-action numbers; an account-wide 10/s with a burst of 50 approximates what it enforces.
  defaultRateLimit: () => ({ bucket: 'account', limit: { burst: 50, perSecond: 10 } }),
  settle: settleEks,
  console: {
    kinds: ['cluster', 'nodegroup', 'update'],
    tag(_kind, record, key, value) {
      const data = record.data as EksCluster | EksNodegroup;
      data.tags = { ...data.tags, [key]: value };
    },
    delete(kind, id, ctx) {
      if (kind === 'update') return ctx.collection(kind).delete(id);
      const collection = ctx.collection<EksCluster | EksNodegroup>(kind);
      const record = collection.get(id);
      if (!record) return false;
      collection.put(id, {
        ...record.data,
        status: 'DELETING',
        _sandbox: {
          settleAt:
            ctx.now() + ctx.operationDelayMs(kind === 'cluster' ? 'DeleteCluster' : 'DeleteNodegroup'),
        },
      } as EksCluster);
      return true;
    },
  },
});

function parseBody(request: SandboxRequest): unknown {
  if (request.body === '') return {};
  try {
    return JSON.parse(request.body);
  } catch {
    throw eksError.invalidParameter('Request body is not valid JSON.');
  }
}
