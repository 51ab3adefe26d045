import { randomBytes } from 'node:crypto';
import { parseInput } from '../../../protocols/aws/parse-input.js';
import { epochSeconds } from '../aws-account.js';
import { type EksEnv, wire } from './eks-env.js';
import { eksError } from './eks-errors.js';
import type { EksCluster } from './eks-records.js';
import {
  createClusterInput,
  type UpdateClusterConfigInput,
  updateClusterConfigInput,
  updateClusterVersionInput,
} from './eks-schemas.js';
import { sameTokenUpdate, startUpdate, updateInProgress } from './eks-updates.js';

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
const DEFAULT_VERSION = '1.31';

export function createCluster(body: unknown, env: EksEnv): object {
  const input = parseInput(createClusterInput, body, 'InvalidParameterException');
  const existing = env.clusters.get(input.name)?.data;
  if (existing) {
    if (input.clientRequestToken && existing.clientRequestToken === input.clientRequestToken)
      return { cluster: wire(existing) };
    throw eksError.inUse(`Cluster already exists with name: ${input.name}`, { clusterName: input.name });
  }
  if ((input.resourcesVpcConfig.subnetIds ?? []).length < 2) {
    throw eksError.invalidParameter('Subnets specified must be in at least two different AZs', {
      clusterName: input.name,
    });
  }
  const now = env.ctx.now();
  const id = randomBytes(16).toString('hex').toUpperCase();
  const cluster: EksCluster = {
    name: input.name,
    arn: env.arn(`cluster/${input.name}`),
    createdAt: epochSeconds(now),
    version: input.version ?? DEFAULT_VERSION,
    endpoint: `https://${id}.gr7.${env.region}.eks.amazonaws.com`,
    roleArn: input.roleArn,
    resourcesVpcConfig: {
      subnetIds: input.resourcesVpcConfig.subnetIds ?? [],
      securityGroupIds: input.resourcesVpcConfig.securityGroupIds ?? [],
      clusterSecurityGroupId: `sg-${randomBytes(8).toString('hex').slice(0, 17)}`,
      vpcId: 'vpc-00000000',
      endpointPublicAccess: input.resourcesVpcConfig.endpointPublicAccess ?? true,
      endpointPrivateAccess: input.resourcesVpcConfig.endpointPrivateAccess ?? false,
      publicAccessCidrs: input.resourcesVpcConfig.publicAccessCidrs ?? ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: input.kubernetesNetworkConfig?.serviceIpv4Cidr ?? '10.100.0.0/16',
      ipFamily: input.kubernetesNetworkConfig?.ipFamily ?? 'ipv4',
      elasticLoadBalancing: input.kubernetesNetworkConfig?.elasticLoadBalancing ?? { enabled: false },
    },
    logging: normalizeLogging(enabledLogTypes(input.logging)),
    identity: { oidc: { issuer: `https://oidc.eks.${env.region}.amazonaws.com/id/${id}` } },
    status: 'CREATING',
    certificateAuthority: {
      data: Buffer.from(`sandbox certificate authority for ${input.name}`).toString('base64'),
    },
    ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
    platformVersion: 'eks.1',
    tags: input.tags ?? {},
    ...(input.encryptionConfig ? { encryptionConfig: input.encryptionConfig } : {}),
    health: { issues: [] },
    accessConfig: {
      bootstrapClusterCreatorAdminPermissions:
        input.accessConfig?.bootstrapClusterCreatorAdminPermissions ?? true,
      authenticationMode: input.accessConfig?.authenticationMode ?? 'CONFIG_MAP',
    },
    upgradePolicy: { supportType: input.upgradePolicy?.supportType ?? 'EXTENDED' },
    ...(input.zonalShiftConfig ? { zonalShiftConfig: input.zonalShiftConfig } : {}),
    deletionProtection: input.deletionProtection ?? false,
    _sandbox: { settleAt: now + env.ctx.operationDelayMs('CreateCluster') },
  };
  env.clusters.put(input.name, cluster);
  return { cluster: wire(cluster) };
}

export function describeCluster(name: string, env: EksEnv): object {
  return { cluster: wire(env.cluster(name)) };
}

export function listClusters(env: EksEnv): object {
  return { clusters: env.clusters.values().map((r) => r.data.name) };
}

export function deleteCluster(name: string, env: EksEnv): object {
  const cluster = env.cluster(name);
  if (cluster.status === 'DELETING')
    throw eksError.inUse(`Cluster ${name} is already being deleted.`, { clusterName: name });
  if (cluster.deletionProtection) {
    throw eksError.invalidRequest(`Cluster ${name} has deletion protection enabled; disable it first.`, {
      clusterName: name,
    });
  }
  if (env.nodegroups.values().some((r) => r.data.clusterName === name)) {
    throw eksError.inUse(`Cluster has nodegroups attached`, { clusterName: name });
  }
  const deleting: EksCluster = {
    ...cluster,
    status: 'DELETING',
    _sandbox: { settleAt: env.ctx.now() + env.ctx.operationDelayMs('DeleteCluster') },
  };
  env.clusters.put(name, deleting);
  return { cluster: wire(deleting) };
}

/** One kind of change per call; values equal to the current ones are rejected, as EKS does. */
export function updateClusterConfig(name: string, body: unknown, env: EksEnv): object {
  const input = parseInput(updateClusterConfigInput, body, 'InvalidParameterException');
  const cluster = env.cluster(name);
  const repeated = sameTokenUpdate(env, name, input.clientRequestToken);
  if (repeated) return { update: wire(repeated) };
  const { clientRequestToken, ...fields } = input;
  const kinds = Object.keys(fields) as (keyof Omit<UpdateClusterConfigInput, 'clientRequestToken'>)[];
  if (kinds.length === 0)
    throw eksError.invalidParameter('No changes were specified.', { clusterName: name });
  if (kinds.length > 1) {
    throw eksError.invalidParameter(`Only one type of update can be allowed; received ${kinds.join(', ')}.`, {
      clusterName: name,
    });
  }
  requireUpdatable(cluster, env);
  const kind = kinds[0]!;
  const { type, params, changes } = clusterConfigChange(kind, input, cluster);
  if (JSON.stringify(changes[kind]) === JSON.stringify(cluster[kind])) {
    throw eksError.invalidParameter(
      `Cluster is already at the desired configuration with ${params.map((p) => `${p.type}: ${JSON.stringify(p.value)}`).join(', ')}`,
      { clusterName: name },
    );
  }
  const update = startUpdate(
    env,
    'UpdateClusterConfig',
    { clusterName: name },
    type,
    params,
    changes,
    clientRequestToken,
  );
  env.clusters.put(name, { ...cluster, status: 'UPDATING' });
  return { update: wire(update) };
}

export function updateClusterVersion(name: string, body: unknown, env: EksEnv): object {
  const input = parseInput(updateClusterVersionInput, body, 'InvalidParameterException');
  const cluster = env.cluster(name);
  const repeated = sameTokenUpdate(env, name, input.clientRequestToken);
  if (repeated) return { update: wire(repeated) };
  requireUpdatable(cluster, env);
  const [major, minor] = cluster.version.split('.').map(Number) as [number, number];
  const [toMajor, toMinor] = input.version.split('.').map(Number) as [number, number];
  if (input.version === cluster.version) {
    throw eksError.invalidParameter(
      `Cluster is already at the desired configuration with version: ${cluster.version}`,
      {
        clusterName: name,
      },
    );
  }
  if (toMajor !== major || toMinor !== minor + 1) {
    throw eksError.invalidParameter(
      `Unsupported Kubernetes minor version update from ${cluster.version} to ${input.version}; allowed: ${major}.${minor + 1}`,
      { clusterName: name },
    );
  }
  const update = startUpdate(
    env,
    'UpdateClusterVersion',
    { clusterName: name },
    'VersionUpdate',
    [
      { type: 'Version', value: input.version },
      { type: 'PlatformVersion', value: 'eks.1' },
    ],
    { version: input.version, platformVersion: 'eks.1' },
    input.clientRequestToken,
  );
  env.clusters.put(name, { ...cluster, status: 'UPDATING' });
  return { update: wire(update) };
}

function requireUpdatable(cluster: EksCluster, env: EksEnv): void {
  if (updateInProgress(env, cluster.name)) {
    throw eksError.inUse(
      `An update is already in progress for cluster ${cluster.name}; wait for it to finish.`,
      {
        clusterName: cluster.name,
      },
    );
  }
  if (cluster.status !== 'ACTIVE') {
    throw eksError.inUse(`Cluster ${cluster.name} is in ${cluster.status} state; updates need ACTIVE.`, {
      clusterName: cluster.name,
    });
  }
}

function clusterConfigChange(
  kind: keyof UpdateClusterConfigInput,
  input: UpdateClusterConfigInput,
  cluster: EksCluster,
): { type: string; params: { type: string; value: unknown }[]; changes: Record<string, unknown> } {
  switch (kind) {
    case 'resourcesVpcConfig': {
      const next = { ...(cluster.resourcesVpcConfig as object), ...input.resourcesVpcConfig };
      const params = Object.entries(input.resourcesVpcConfig ?? {}).map(([key, value]) => ({
        type: key[0]!.toUpperCase() + key.slice(1),
        value,
      }));
      return { type: 'VpcConfigUpdate', params, changes: { resourcesVpcConfig: next } };
    }
    case 'logging': {
      const enabled = new Set(enabledLogTypes(cluster.logging as never));
      for (const setup of input.logging?.clusterLogging ?? []) {
        for (const type of setup.types ?? []) setup.enabled ? enabled.add(type) : enabled.delete(type);
      }
      const logging = normalizeLogging([...enabled]);
      return {
        type: 'LoggingUpdate',
        params: [{ type: 'ClusterLogging', value: logging }],
        changes: { logging },
      };
    }
    case 'kubernetesNetworkConfig': {
      const current = cluster.kubernetesNetworkConfig as Record<string, unknown>;
      for (const immutable of ['serviceIpv4Cidr', 'ipFamily'] as const) {
        const value = input.kubernetesNetworkConfig?.[immutable];
        if (value !== undefined && value !== current[immutable]) {
          throw eksError.invalidParameter(`${immutable} cannot be changed after the cluster is created.`, {
            clusterName: cluster.name,
          });
        }
      }
      const next = { ...current, ...input.kubernetesNetworkConfig };
      return {
        type: 'AutoModeUpdate',
        params: [{ type: 'KubernetesNetworkConfig', value: next }],
        changes: { kubernetesNetworkConfig: next },
      };
    }
    case 'deletionProtection':
      return {
        type: 'DeletionProtectionUpdate',
        params: [{ type: 'DeletionProtection', value: String(input.deletionProtection) }],
        changes: { deletionProtection: input.deletionProtection },
      };
    case 'accessConfig': {
      const next = { ...(cluster.accessConfig as object), ...input.accessConfig };
      return {
        type: 'AccessConfigUpdate',
        params: [{ type: 'AuthenticationMode', value: input.accessConfig?.authenticationMode ?? '' }],
        changes: { accessConfig: next },
      };
    }
    case 'upgradePolicy':
      return {
        type: 'UpgradePolicyUpdate',
        params: [{ type: 'UpgradePolicySupportType', value: input.upgradePolicy?.supportType ?? '' }],
        changes: { upgradePolicy: { ...(cluster.upgradePolicy as object), ...input.upgradePolicy } },
      };
    default: {
      const next = { ...((cluster[kind] as object | undefined) ?? {}), ...(input[kind] as object) };
      const type = `${kind[0]!.toUpperCase()}${kind.slice(1)}Update`;
      return { type, params: [{ type: kind, value: next }], changes: { [kind]: next } };
    }
  }
}

function enabledLogTypes(
  logging: { clusterLogging: { types?: string[]; enabled?: boolean }[] } | undefined,
): string[] {
  return (logging?.clusterLogging ?? []).filter((s) => s.enabled).flatMap((s) => s.types ?? []);
}

/** EKS reports logging as one enabled group and one disabled group, in a fixed type order. */
function normalizeLogging(enabled: string[]) {
  const on = LOG_TYPES.filter((t) => enabled.includes(t));
  const off = LOG_TYPES.filter((t) => !enabled.includes(t));
  return {
    clusterLogging: [
      ...(on.length > 0 ? [{ types: on, enabled: true }] : []),
      ...(off.length > 0 ? [{ types: off, enabled: false }] : []),
    ],
  };
}
