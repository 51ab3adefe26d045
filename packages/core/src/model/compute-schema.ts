import { z } from 'zod';
import { patternString, strictObject } from './strict-object.js';

const roleArn = patternString(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN');
const k8sVersion = patternString(/^1\.\d{1,2}$/, 'a Kubernetes minor version such as "1.31"');
const namespace = patternString(
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  'a Kubernetes namespace (1-63 lowercase letters, digits, hyphens)',
);
const nodeCount = z.number().int().min(0).max(1000);

/** ECS on Fargate. */
export const fargateComputeSchema = strictObject({
  kind: z.literal('fargate'),
  /**
   * Role ECS uses to pull images, write logs and read task secrets. Patchbay creates none: required with an
   * `rds` or `neon` database, whose credentials ECS injects as secrets.
   */
  executionRoleArn: roleArn.optional(),
  /** Role the app's code runs with. */
  taskRoleArn: roleArn.optional(),
});

/** Cloud Run (v2 services). */
export const cloudRunComputeSchema = strictObject({
  kind: z.literal('cloud-run'),
});

const eksNodesSchema = z.union([
  strictObject({
    instanceType: patternString(/^[a-z0-9]+\.[a-z0-9]+$/, 'an EC2 instance type such as "m6i.large"'),
    min: nodeCount,
    max: nodeCount,
  }),
  strictObject({ fargate: z.literal(true) }),
]);

const gkeNodesSchema = z.union([
  strictObject({
    machineType: patternString(/^[a-z0-9]+-[a-z0-9-]+$/, 'a GCE machine type such as "e2-standard-4"'),
    min: nodeCount,
    max: nodeCount,
  }),
  strictObject({ autopilot: z.literal(true) }),
]);

/** A new EKS cluster that Patchbay creates and manages. */
export const newEksClusterSchema = strictObject({
  mode: z.literal('new'),
  platform: z.literal('eks'),
  version: k8sVersion.optional(),
  /** A managed node group, or EKS Fargate profiles instead of nodes. */
  nodes: eksNodesSchema,
  clusterRoleArn: roleArn.optional(),
  nodeRoleArn: roleArn.optional(),
  /** Namespace for the app's workloads. @default the environment name */
  namespace: namespace.optional(),
});

/** A new GKE cluster that Patchbay creates and manages. */
export const newGkeClusterSchema = strictObject({
  mode: z.literal('new'),
  platform: z.literal('gke'),
  version: k8sVersion.optional(),
  /** A node pool, or an Autopilot cluster. */
  nodes: gkeNodesSchema,
  /** Namespace for the app's workloads. @default the environment name */
  namespace: namespace.optional(),
});

/**
 * A cluster Patchbay does not manage: reached through a kubeconfig (a file path, or inline YAML which
 * is treated as a secret) or through a reference to an EKS/GKE cluster by name. Exactly one of
 * `kubeconfig` and `clusterRef`.
 */
export const existingClusterSchema = strictObject({
  mode: z.literal('existing'),
  kubeconfig: z
    .union([strictObject({ path: z.string().min(1) }), strictObject({ inline: z.string().min(1) })])
    .optional(),
  clusterRef: strictObject({
    platform: z.enum(['eks', 'gke']),
    name: z.string().min(1).max(100),
    region: z.string().min(1).optional(),
  }).optional(),
  /** kubeconfig context. @default the kubeconfig's current context */
  context: z.string().min(1).optional(),
  /** Namespace for the app's workloads. @default the environment name */
  namespace: namespace.optional(),
});

export const clusterSchema = z.discriminatedUnion('mode', [
  z.discriminatedUnion('platform', [newEksClusterSchema, newGkeClusterSchema]),
  existingClusterSchema,
]);

/** Kubernetes: a new EKS/GKE cluster or an existing cluster. */
export const kubernetesComputeSchema = strictObject({
  kind: z.literal('kubernetes'),
  cluster: clusterSchema,
});

export const computeSchema = z.discriminatedUnion('kind', [
  fargateComputeSchema,
  cloudRunComputeSchema,
  kubernetesComputeSchema,
]);

export type Compute = z.infer<typeof computeSchema>;
export type ComputeInput = z.input<typeof computeSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
