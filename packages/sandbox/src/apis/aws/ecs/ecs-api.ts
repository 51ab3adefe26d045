import type { SandboxApi } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { awsJsonError, awsJsonOperation, awsJsonResponse } from '../../../protocols/aws/aws-json-protocol.js';
import { sigv4Region, sigv4Service } from '../../../protocols/aws/sigv4-service.js';
import { createCluster, deleteCluster, describeClusters } from './ecs-clusters.js';
import { EcsEnv } from './ecs-env.js';
import { ecsError } from './ecs-errors.js';
import { ecsRateLimit } from './ecs-rate-limits.js';
import type { EcsService } from './ecs-records.js';
import {
  createService,
  deleteService,
  describeServices,
  settleServices,
  updateService,
} from './ecs-services.js';
import { listTagsForResource, mergeTags, tagResource, untagResource } from './ecs-tags.js';
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitions,
  registerTaskDefinition,
} from './ecs-task-definitions.js';

type Handler = (body: unknown, env: EcsEnv) => object;

const OPERATIONS: Record<string, Handler> = {
  CreateCluster: createCluster,
  DescribeClusters: describeClusters,
  DeleteCluster: deleteCluster,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  DeregisterTaskDefinition: deregisterTaskDefinition,
  ListTaskDefinitions: listTaskDefinitions,
  CreateService: createService,
  DescribeServices: describeServices,
  UpdateService: updateService,
  DeleteService: deleteService,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

/**
 * Amazon ECS (JSON 1.1 over `X-Amz-Target`), for Fargate services. Collections: `cluster` (id: name),
 * `taskDefinition` (id: `family:revision`), `service` (id: `cluster/service`).
 */
export const ecsApi = (): SandboxApi => ({
  name: 'ecs',
  matches: (request) => sigv4Service(request) === 'ecs',
  operation: awsJsonOperation,
  handle(request, ctx) {
    const operation = awsJsonOperation(request);
    const handler = OPERATIONS[operation];
    if (!handler) {
      throw ecsError.invalidParameter(
        `The sandbox does not implement ECS ${operation}; implemented: ${Object.keys(OPERATIONS).join(', ')}`,
      );
    }
    return awsJsonResponse(request, handler(parseBody(request), new EcsEnv(ctx, sigv4Region(request))));
  },
  errorResponse: awsJsonError,
  throttleError: () => ecsError.throttling(),
  serverError: () => ecsError.server(),
  defaultRateLimit: ecsRateLimit,
  settle: (ctx) => settleServices(new EcsEnv(ctx, 'us-east-1')),
  console: {
    kinds: ['cluster', 'taskDefinition', 'service'],
    tag(_kind, record, key, value) {
      const data = record.data as { tags?: { key: string; value: string }[] };
      data.tags = mergeTags(data.tags ?? [], [{ key, value }]);
    },
    delete(kind, id, ctx) {
      const collection = ctx.collection(kind);
      if (kind !== 'service') return collection.delete(id);
      // A service deleted in the console drains first, as a real one does.
      const record = ctx.collection<EcsService>('service').get(id);
      if (!record || record.data.status === 'INACTIVE') return false;
      const service = structuredClone(record.data);
      service.status = 'DRAINING';
      service.desiredCount = 0;
      service._sandbox.settleAt = ctx.now() + ctx.operationDelayMs('DeleteService');
      ctx.collection<EcsService>('service').put(id, service);
      return true;
    },
  },
});

function parseBody(request: SandboxRequest): unknown {
  if (request.body === '') return {};
  try {
    return JSON.parse(request.body);
  } catch {
    throw ecsError.invalidParameter('Request body is not valid JSON.');
  }
}
