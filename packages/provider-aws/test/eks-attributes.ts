import type { Attributes } from '@patchbay/core';

// The sandbox tests (eks.test.ts) and the mocked-client tests (eks-fake.test.ts) create the same cluster and node group.

/** A valid `aws.eks.cluster` on 1.30, so a patch can step it to 1.31. */
export const eksClusterAttrs: Attributes = {
  version: '1.30',
  roleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
  subnets: ['subnet-b', 'subnet-a'],
  securityGroups: ['sg-1'],
  endpointPublicAccess: true,
  tags: { team: 'platform' },
};

/** A valid `aws.eks.nodegroup` in `cluster`, sized 1 ≤ 1 ≤ 3. */
export const eksNodegroupAttrs = (cluster: string): Attributes => ({
  cluster,
  nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-node',
  subnets: ['subnet-b', 'subnet-a'],
  instanceTypes: ['t3.medium'],
  minSize: 1,
  maxSize: 3,
  desiredSize: 1,
  labels: { pool: 'default' },
  tags: { team: 'platform' },
});
