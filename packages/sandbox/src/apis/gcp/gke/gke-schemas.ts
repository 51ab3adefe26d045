import { z } from 'zod';

const legacy = {
  projectId: z.string().optional(),
  zone: z.string().optional(),
  clusterId: z.string().optional(),
};
const name = z.string().optional();
const count = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

export const nodePoolInput = z.looseObject({
  name: z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, 'must be 1-40 lower-case letters, digits or hyphens'),
  config: z.looseObject({}).optional(),
  initialNodeCount: count.optional(),
  autoscaling: z.looseObject({}).optional(),
  version: z.string().optional(),
  locations: z.array(z.string()).optional(),
});

export const createClusterInput = z
  .object({
    ...legacy,
    parent: name,
    cluster: z.looseObject({
      name: z
        .string()
        .regex(/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, 'must be 1-40 lower-case letters, digits or hyphens'),
      initialNodeCount: count.optional(),
      nodePools: z.array(nodePoolInput).optional(),
      resourceLabels: z.record(z.string(), z.string()).optional(),
      autopilot: z.looseObject({ enabled: z.boolean().optional() }).optional(),
    }),
  })
  .strict();

export const updateClusterInput = z
  .object({ ...legacy, name, update: z.record(z.string(), z.unknown()) })
  .strict();

export const setLabelsInput = z
  .object({
    ...legacy,
    name,
    resourceLabels: z.record(z.string(), z.string()).optional(),
    labelFingerprint: z.string().min(1, 'labelFingerprint is required'),
  })
  .strict();

export const createNodePoolInput = z.object({ ...legacy, parent: name, nodePool: nodePoolInput }).strict();

const nodePoolRequest = { ...legacy, nodePoolId: z.string().optional(), name };

export const updateNodePoolInput = z
  .object({ ...nodePoolRequest, etag: z.string().optional() })
  .catchall(z.unknown());

export const setAutoscalingInput = z
  .object({
    ...nodePoolRequest,
    autoscaling: z.looseObject({
      enabled: z.boolean().optional(),
      minNodeCount: count.optional(),
      maxNodeCount: count.optional(),
    }),
  })
  .strict();

export const setSizeInput = z.object({ ...nodePoolRequest, nodeCount: count }).strict();

/** Fields of `UpdateNodePoolRequest` the sandbox applies (anything else → INVALID_ARGUMENT). */
export const NODE_POOL_UPDATE_FIELDS = [
  'nodeVersion',
  'imageType',
  'locations',
  'workloadMetadataConfig',
  'upgradeSettings',
  'tags',
  'taints',
  'labels',
  'linuxNodeConfig',
  'kubeletConfig',
  'nodeNetworkConfig',
  'gcfsConfig',
  'confidentialNodes',
  'gvnic',
  'fastSocket',
  'loggingConfig',
  'resourceLabels',
  'windowsNodeConfig',
  'accelerators',
  'machineType',
  'diskType',
  'diskSizeGb',
  'resourceManagerTags',
  'containerdConfig',
  'queuedProvisioning',
  'storagePools',
  'maxRunDuration',
  'flexStart',
  'bootDisk',
  'nodeDrainConfig',
] as const;

/** `ClusterUpdate` fields that are not `desired*` but still an update of their own. */
export const OTHER_UPDATE_FIELDS = [
  'additionalPodRangesConfig',
  'removedAdditionalPodRangesConfig',
  'enableK8sBetaApis',
  'userManagedKeysConfig',
  'gkeAutoUpgradeConfig',
];

/** Create-only cluster fields, named when someone tries to update them. */
export const CREATE_ONLY = ['network', 'subnetwork', 'clusterIpv4Cidr'];
