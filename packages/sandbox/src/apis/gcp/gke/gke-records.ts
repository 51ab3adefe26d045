/** A stored GKE cluster: the wire `Cluster` shape (without `nodePools`) plus `_sandbox`. Id: `projects/p/locations/l/clusters/c`. */
export interface GkeCluster {
  name: string;
  location: string;
  status: 'PROVISIONING' | 'RUNNING' | 'RECONCILING' | 'STOPPING' | 'ERROR';
  resourceLabels: Record<string, string>;
  currentMasterVersion: string;
  currentNodeVersion: string;
  _sandbox: {
    /** Id of the operation running on the cluster (GKE runs one at a time). */
    operation?: string;
  };
  [field: string]: unknown;
}

/** A stored node pool: the wire `NodePool` shape plus `_sandbox`. Id: `{cluster id}/nodePools/{name}`. */
export interface GkeNodePool {
  name: string;
  status: 'PROVISIONING' | 'RUNNING' | 'RECONCILING' | 'STOPPING' | 'ERROR';
  config: Record<string, unknown>;
  initialNodeCount: number;
  version: string;
  _sandbox: { nodeCount: number };
  [field: string]: unknown;
}

/** A stored `google.container.v1.Operation`. Id: `projects/p/locations/l/operations/{name}`. */
export interface GkeOperation {
  name: string;
  operationType: string;
  status: 'PENDING' | 'RUNNING' | 'DONE' | 'ABORTING';
  selfLink: string;
  targetLink: string;
  location: string;
  zone: string;
  startTime: string;
  endTime?: string;
  _sandbox: { doneAt: number; cluster: string; nodePool?: string };
  [field: string]: unknown;
}
