/** A stored EKS cluster: the wire `Cluster` shape plus `_sandbox`. Id: cluster name. */
export interface EksCluster {
  name: string;
  arn: string;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED';
  version: string;
  tags: Record<string, string>;
  _sandbox: { settleAt?: number };
  [field: string]: unknown;
}

/** A stored node group: the wire `Nodegroup` shape plus `_sandbox`. Id: `{cluster}/{nodegroup}`. */
export interface EksNodegroup {
  nodegroupName: string;
  nodegroupArn: string;
  clusterName: string;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';
  version: string;
  tags: Record<string, string>;
  _sandbox: { settleAt?: number; clientRequestToken?: string };
  [field: string]: unknown;
}

/** A stored update: the wire `Update` shape plus what it changes. Id: `{cluster}/{updateId}`. */
export interface EksUpdate {
  id: string;
  status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  type: string;
  params: { type: string; value: string }[];
  createdAt: number;
  errors: unknown[];
  _sandbox: {
    clusterName: string;
    nodegroupName?: string;
    settleAt: number;
    clientRequestToken?: string;
    /** Top-level fields (with their complete new values) to set on the cluster / node group when done. */
    changes: Record<string, unknown>;
  };
}
