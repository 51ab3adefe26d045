import type { EcsTag } from './ecs-schemas.js';

/** Sandbox-only bookkeeping kept inside a record and never sent on the wire. */
export interface EcsServiceInternal {
  clientToken?: string;
  /** Epoch ms when the running deployment / draining finishes. */
  settleAt?: number;
}

/** A stored ECS cluster: the wire `Cluster` shape. Id: cluster name. */
export interface EcsCluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  statistics: unknown[];
  tags: EcsTag[];
  settings: unknown[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: unknown[];
  [field: string]: unknown;
}

/** A stored task definition: the wire `TaskDefinition` shape plus its tags. Id: `family:revision`. */
export interface EcsTaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  tags: EcsTag[];
  [field: string]: unknown;
}

/** A stored service: the wire `Service` shape plus `_sandbox`. Id: `{clusterName}/{serviceName}`. */
export interface EcsService {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: string;
  deployments: EcsDeployment[];
  tags: EcsTag[];
  _sandbox: EcsServiceInternal;
  [field: string]: unknown;
}

export interface EcsDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  [field: string]: unknown;
}
