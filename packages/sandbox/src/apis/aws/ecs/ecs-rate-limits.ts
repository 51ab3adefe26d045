import type { DefaultRateLimit } from '../../../core/faults.js';

/**
 * ECS's published token buckets (per account and region), grouped as the ECS "Request throttling"
 * page groups actions. Cluster reads (50 burst, 20/s) are quoted in that page's text; the other
 * groups follow its quota table as best known — override with a fault rule `rateLimit` if needed.
 */
const GROUPS: Record<string, DefaultRateLimit> = {
  clusterRead: { bucket: 'cluster-read', limit: { burst: 50, perSecond: 20 } },
  clusterModify: { bucket: 'cluster-modify', limit: { burst: 20, perSecond: 1 } },
  serviceRead: { bucket: 'service-read', limit: { burst: 100, perSecond: 20 } },
  serviceModify: { bucket: 'service-modify', limit: { burst: 50, perSecond: 5 } },
  taskDefinitionRead: { bucket: 'task-definition-read', limit: { burst: 100, perSecond: 20 } },
  taskDefinitionModify: { bucket: 'task-definition-modify', limit: { burst: 20, perSecond: 1 } },
  tagging: { bucket: 'tagging', limit: { burst: 50, perSecond: 20 } },
};

const OPERATION_GROUP: Record<string, keyof typeof GROUPS> = {
  DescribeClusters: 'clusterRead',
  CreateCluster: 'clusterModify',
  DeleteCluster: 'clusterModify',
  DescribeServices: 'serviceRead',
  CreateService: 'serviceModify',
  UpdateService: 'serviceModify',
  DeleteService: 'serviceModify',
  DescribeTaskDefinition: 'taskDefinitionRead',
  ListTaskDefinitions: 'taskDefinitionRead',
  RegisterTaskDefinition: 'taskDefinitionModify',
  DeregisterTaskDefinition: 'taskDefinitionModify',
  TagResource: 'tagging',
  UntagResource: 'tagging',
  ListTagsForResource: 'tagging',
};

export function ecsRateLimit(operation: string): DefaultRateLimit | undefined {
  const group = OPERATION_GROUP[operation];
  return group ? GROUPS[group] : undefined;
}

/** For the README: every bucket with its operations. */
export const ECS_RATE_LIMITS = GROUPS;
