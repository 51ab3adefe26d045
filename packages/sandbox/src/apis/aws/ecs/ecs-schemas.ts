import { z } from 'zod';

// Top-level request shapes are strict (unknown fields rejected). Nested shapes the sandbox does not
// interpret are loose objects: their fields are kept and echoed back as the real API does.
const loose = z.looseObject({});
const tag = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }).strict();
const tags = z.array(tag).max(50, 'a resource can have at most 50 tags');

const awsvpcConfiguration = z
  .object({
    subnets: z.array(z.string()).min(1).max(16),
    securityGroups: z.array(z.string()).max(5).optional(),
    assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional(),
  })
  .strict();
const networkConfiguration = z.object({ awsvpcConfiguration: awsvpcConfiguration.optional() }).strict();

const deploymentConfiguration = z.looseObject({
  maximumPercent: z.number().int().min(0).optional(),
  minimumHealthyPercent: z.number().int().min(0).optional(),
  deploymentCircuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }).strict().optional(),
});

const capacityProviderStrategy = z.array(
  z
    .object({
      capacityProvider: z.string(),
      weight: z.number().int().optional(),
      base: z.number().int().optional(),
    })
    .strict(),
);

const serviceFields = {
  cluster: z.string().optional(),
  taskDefinition: z.string().optional(),
  desiredCount: z.number().int().min(0).optional(),
  capacityProviderStrategy: capacityProviderStrategy.optional(),
  deploymentConfiguration: deploymentConfiguration.optional(),
  availabilityZoneRebalancing: z.enum(['ENABLED', 'DISABLED']).optional(),
  networkConfiguration: networkConfiguration.optional(),
  placementConstraints: z.array(loose).optional(),
  placementStrategy: z.array(loose).optional(),
  platformVersion: z.string().optional(),
  healthCheckGracePeriodSeconds: z.number().int().min(0).optional(),
  deploymentController: z
    .object({ type: z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']) })
    .strict()
    .optional(),
  enableExecuteCommand: z.boolean().optional(),
  enableECSManagedTags: z.boolean().optional(),
  loadBalancers: z.array(loose).optional(),
  propagateTags: z.enum(['TASK_DEFINITION', 'SERVICE', 'NONE']).optional(),
  serviceRegistries: z.array(loose).optional(),
  serviceConnectConfiguration: loose.optional(),
  volumeConfigurations: z.array(loose).optional(),
  vpcLatticeConfigurations: z.array(loose).optional(),
  gatewayConnectors: z.array(loose).optional(),
  monitoring: loose.optional(),
};

export const createClusterInput = z
  .object({
    clusterName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'up to 255 letters, numbers, hyphens and underscores')
      .optional(),
    tags: tags.optional(),
    settings: z
      .array(z.object({ name: z.literal('containerInsights'), value: z.string() }).strict())
      .optional(),
    configuration: loose.optional(),
    capacityProviders: z.array(z.string()).optional(),
    defaultCapacityProviderStrategy: capacityProviderStrategy.optional(),
    serviceConnectDefaults: loose.optional(),
  })
  .strict();

export const describeClustersInput = z
  .object({
    clusters: z.array(z.string()).max(100).optional(),
    include: z.array(z.enum(['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'])).optional(),
  })
  .strict();

export const deleteClusterInput = z.object({ cluster: z.string().min(1) }).strict();

const containerDefinition = z.looseObject({
  name: z.string().min(1).max(255),
  image: z.string().min(1),
  cpu: z.number().int().min(0).optional(),
  memory: z.number().int().positive().optional(),
  memoryReservation: z.number().int().positive().optional(),
  essential: z.boolean().optional(),
  command: z.array(z.string()).optional(),
  entryPoint: z.array(z.string()).optional(),
  environment: z.array(z.object({ name: z.string(), value: z.string() }).strict()).optional(),
  secrets: z.array(z.object({ name: z.string(), valueFrom: z.string() }).strict()).optional(),
  portMappings: z
    .array(
      z.looseObject({
        containerPort: z.number().int().min(0).max(65535).optional(),
        hostPort: z.number().int().min(0).max(65535).optional(),
        protocol: z.enum(['tcp', 'udp']).optional(),
        name: z.string().optional(),
        appProtocol: z.enum(['http', 'http2', 'grpc']).optional(),
      }),
    )
    .optional(),
});

export const registerTaskDefinitionInput = z
  .object({
    family: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'up to 255 letters, numbers, hyphens and underscores'),
    taskRoleArn: z.string().optional(),
    executionRoleArn: z.string().optional(),
    networkMode: z.enum(['bridge', 'host', 'awsvpc', 'none']).optional(),
    containerDefinitions: z.array(containerDefinition).min(1),
    volumes: z.array(loose).optional(),
    placementConstraints: z.array(loose).optional(),
    requiresCompatibilities: z.array(z.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'])).optional(),
    cpu: z.string().optional(),
    memory: z.string().optional(),
    tags: tags.optional(),
    pidMode: z.enum(['host', 'task']).optional(),
    ipcMode: z.enum(['host', 'task', 'none']).optional(),
    proxyConfiguration: loose.optional(),
    inferenceAccelerators: z.array(loose).optional(),
    ephemeralStorage: z
      .object({ sizeInGiB: z.number().int().min(21).max(200) })
      .strict()
      .optional(),
    runtimePlatform: loose.optional(),
    enableFaultInjection: z.boolean().optional(),
  })
  .strict();

export const describeTaskDefinitionInput = z
  .object({ taskDefinition: z.string().min(1), include: z.array(z.literal('TAGS')).optional() })
  .strict();

export const deregisterTaskDefinitionInput = z.object({ taskDefinition: z.string().min(1) }).strict();

export const listTaskDefinitionsInput = z
  .object({
    familyPrefix: z.string().optional(),
    status: z.enum(['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS']).optional(),
    sort: z.enum(['ASC', 'DESC']).optional(),
    nextToken: z.string().optional(),
    maxResults: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const createServiceInput = z
  .object({
    ...serviceFields,
    serviceName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'up to 255 letters, numbers, hyphens and underscores'),
    clientToken: z.string().max(36).optional(),
    launchType: z.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']).optional(),
    role: z.string().optional(),
    schedulingStrategy: z.enum(['REPLICA', 'DAEMON']).optional(),
    tags: tags.optional(),
  })
  .strict();

export const updateServiceInput = z
  .object({ ...serviceFields, service: z.string().min(1), forceNewDeployment: z.boolean().optional() })
  .strict();

export const describeServicesInput = z
  .object({
    cluster: z.string().optional(),
    services: z.array(z.string()).min(1).max(10),
    include: z.array(z.literal('TAGS')).optional(),
  })
  .strict();

export const deleteServiceInput = z
  .object({ cluster: z.string().optional(), service: z.string().min(1), force: z.boolean().optional() })
  .strict();

export const tagResourceInput = z.object({ resourceArn: z.string().min(1), tags }).strict();
export const untagResourceInput = z
  .object({ resourceArn: z.string().min(1), tagKeys: z.array(z.string()) })
  .strict();
export const listTagsForResourceInput = z.object({ resourceArn: z.string().min(1) }).strict();

export type EcsTag = z.infer<typeof tag>;
export type CreateServiceInput = z.infer<typeof createServiceInput>;
export type UpdateServiceInput = z.infer<typeof updateServiceInput>;
export type RegisterTaskDefinitionInput = z.infer<typeof registerTaskDefinitionInput>;
