import { z } from 'zod';

const loose = z.looseObject({});
const tags = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((t) => Object.keys(t).length <= 50, 'a resource can have at most 50 tags');
const logging = z
  .object({
    clusterLogging: z.array(
      z
        .object({
          types: z
            .array(z.enum(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']))
            .optional(),
          enabled: z.boolean().optional(),
        })
        .strict(),
    ),
  })
  .strict();
const vpcConfig = z
  .object({
    subnetIds: z.array(z.string()).optional(),
    securityGroupIds: z.array(z.string()).optional(),
    endpointPublicAccess: z.boolean().optional(),
    endpointPrivateAccess: z.boolean().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    controlPlaneEgressMode: z.string().optional(),
  })
  .strict();
const kubernetesNetworkConfig = z
  .object({
    serviceIpv4Cidr: z.string().optional(),
    ipFamily: z.enum(['ipv4', 'ipv6']).optional(),
    elasticLoadBalancing: z.object({ enabled: z.boolean().optional() }).strict().optional(),
  })
  .strict();
const clusterName = z
  .string()
  .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, '1–100 letters, digits, hyphens, underscores');
const scalingConfig = z
  .object({
    minSize: z.number().int().min(0).optional(),
    maxSize: z.number().int().min(1).optional(),
    desiredSize: z.number().int().min(0).optional(),
  })
  .strict();
const taint = z
  .object({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']),
  })
  .strict();
const updateConfig = z
  .object({
    maxUnavailable: z.number().int().min(1).optional(),
    maxUnavailablePercentage: z.number().int().min(1).max(100).optional(),
    updateStrategy: z.enum(['DEFAULT', 'MINIMAL']).optional(),
  })
  .strict();

export const createClusterInput = z
  .object({
    name: clusterName,
    roleArn: z.string().min(1),
    resourcesVpcConfig: vpcConfig,
    version: z
      .string()
      .regex(/^\d+\.\d+$/, 'a Kubernetes minor version such as 1.31')
      .optional(),
    kubernetesNetworkConfig: kubernetesNetworkConfig.optional(),
    logging: logging.optional(),
    clientRequestToken: z.string().optional(),
    tags: tags.optional(),
    encryptionConfig: z.array(loose).optional(),
    outpostConfig: loose.optional(),
    accessConfig: z
      .object({
        bootstrapClusterCreatorAdminPermissions: z.boolean().optional(),
        authenticationMode: z.enum(['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP']).optional(),
      })
      .strict()
      .optional(),
    bootstrapSelfManagedAddons: z.boolean().optional(),
    upgradePolicy: z
      .object({ supportType: z.enum(['STANDARD', 'EXTENDED']).optional() })
      .strict()
      .optional(),
    zonalShiftConfig: z.object({ enabled: z.boolean().optional() }).strict().optional(),
    remoteNetworkConfig: loose.optional(),
    computeConfig: loose.optional(),
    storageConfig: loose.optional(),
    deletionProtection: z.boolean().optional(),
    controlPlaneScalingConfig: loose.optional(),
    kubeApiServerConfig: loose.optional(),
    kubeSchedulerConfig: loose.optional(),
    kubeControllerManagerConfig: loose.optional(),
  })
  .strict();

export const updateClusterConfigInput = z
  .object({
    resourcesVpcConfig: vpcConfig.optional(),
    logging: logging.optional(),
    clientRequestToken: z.string().optional(),
    accessConfig: z
      .object({ authenticationMode: z.enum(['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP']).optional() })
      .strict()
      .optional(),
    upgradePolicy: z
      .object({ supportType: z.enum(['STANDARD', 'EXTENDED']).optional() })
      .strict()
      .optional(),
    zonalShiftConfig: z.object({ enabled: z.boolean().optional() }).strict().optional(),
    computeConfig: loose.optional(),
    kubernetesNetworkConfig: kubernetesNetworkConfig.optional(),
    storageConfig: loose.optional(),
    remoteNetworkConfig: loose.optional(),
    deletionProtection: z.boolean().optional(),
    controlPlaneScalingConfig: loose.optional(),
    kubeApiServerConfig: loose.optional(),
    kubeSchedulerConfig: loose.optional(),
    kubeControllerManagerConfig: loose.optional(),
  })
  .strict();

export const updateClusterVersionInput = z
  .object({
    version: z.string().regex(/^\d+\.\d+$/, 'a Kubernetes minor version such as 1.31'),
    clientRequestToken: z.string().optional(),
    force: z.boolean().optional(),
    rollbackConfig: loose.optional(),
  })
  .strict();

export const createNodegroupInput = z
  .object({
    nodegroupName: clusterName,
    subnets: z.array(z.string()).min(1),
    nodeRole: z.string().min(1),
    scalingConfig: scalingConfig.optional(),
    diskSize: z.number().int().min(1).optional(),
    instanceTypes: z.array(z.string()).optional(),
    amiType: z.string().optional(),
    remoteAccess: loose.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    taints: z.array(taint).max(50).optional(),
    tags: tags.optional(),
    clientRequestToken: z.string().optional(),
    launchTemplate: loose.optional(),
    updateConfig: updateConfig.optional(),
    nodeRepairConfig: loose.optional(),
    capacityType: z.enum(['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK']).optional(),
    version: z.string().optional(),
    releaseVersion: z.string().optional(),
    warmPoolConfig: loose.optional(),
  })
  .strict();

export const updateNodegroupConfigInput = z
  .object({
    labels: z
      .object({
        addOrUpdateLabels: z.record(z.string(), z.string()).optional(),
        removeLabels: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    taints: z
      .object({ addOrUpdateTaints: z.array(taint).optional(), removeTaints: z.array(taint).optional() })
      .strict()
      .optional(),
    scalingConfig: scalingConfig.optional(),
    updateConfig: updateConfig.optional(),
    nodeRepairConfig: loose.optional(),
    warmPoolConfig: loose.optional(),
    clientRequestToken: z.string().optional(),
  })
  .strict();

export const updateNodegroupVersionInput = z
  .object({
    version: z.string().optional(),
    releaseVersion: z.string().optional(),
    launchTemplate: loose.optional(),
    force: z.boolean().optional(),
    clientRequestToken: z.string().optional(),
  })
  .strict();

export const tagResourceInput = z.object({ tags }).strict();

export type CreateClusterInput = z.infer<typeof createClusterInput>;
export type UpdateClusterConfigInput = z.infer<typeof updateClusterConfigInput>;
export type UpdateNodegroupConfigInput = z.infer<typeof updateNodegroupConfigInput>;
