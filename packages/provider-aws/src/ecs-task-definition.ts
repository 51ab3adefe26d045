import { isDeepStrictEqual } from 'node:util';
import {
  type ContainerDefinition,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type {
  Attributes,
  JsonValue,
  Observed,
  ResourceRef,
  ResourceType,
  ValidationIssue,
} from '@patchbay/core';
import { applyMapChange, assertPatchable, groupChanges } from '@patchbay/core';
import { awsCall, awsRead } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import {
  fromEcsTags,
  managedByFromTags,
  type TagMap,
  tagsForCreate,
  toEcsTags,
  userTags,
} from './aws-tags.js';
import { classifyAwsError } from './classify-aws-error.js';
import { writeEcsTags } from './ecs-tags.js';
import { fargateSizeIssues, normalizeCpu, normalizeMemory } from './fargate-size.js';
import { planTimeIssues } from './plan-time-issues.js';
import { readForPatch } from './read-for-patch.js';
import { throwIfInvalid } from './throw-if-invalid.js';
import { toWriteResult } from './to-write-result.js';

const TYPE = 'aws.ecs.task-definition';
const MAPS = ['tags'] as const;
const PATCHABLE = ['cpu', 'memory', 'image', 'port', 'environment', 'secrets', 'executionRoleArn', 'tags'];
// What RegisterTaskDefinition accepts: a live definition is copied through this list, so fields set
// outside Patchbay (log configuration, volumes, a task role…) survive a new revision.
const REGISTER_FIELDS = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const satisfies readonly (keyof TaskDefinition & keyof RegisterTaskDefinitionCommandInput)[];
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter\/).+/;

interface LiveTaskDefinition {
  definition: TaskDefinition;
  tags: TagMap;
}

/**
 * `aws.ecs.task-definition`: one Fargate task definition family per unit (`<env>-<unit>`), with one
 * container named after the unit. Task definitions are immutable: a change registers revision N+1
 * (only if something really changed) and returns its `arn` for the service to point at.
 */
export function ecsTaskDefinition(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal: AbortSignal): Promise<LiveTaskDefinition | undefined> => {
    // The family name resolves to its latest ACTIVE revision.
    const out = await awsRead(
      'DescribeTaskDefinition',
      ref.id,
      () =>
        ctx.ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: familyOf(ref), include: ['TAGS'] }),
          { abortSignal: signal },
        ),
      isMissingTaskDefinition,
    );
    const definition = out?.taskDefinition;
    if (definition?.status !== 'ACTIVE') return undefined;
    return { definition, tags: fromEcsTags(out?.tags) };
  };

  const toObserved = (ref: ResourceRef, live: LiveTaskDefinition): Observed => {
    const observed: Observed = {
      physicalId: live.definition.family!,
      attributes: attributesOf(live.definition, live.tags, unitOf(ref)),
      outputs: { arn: live.definition.taskDefinitionArn!, revision: live.definition.revision! },
    };
    const managedBy = managedByFromTags(live.tags);
    if (managedBy) observed.managedBy = managedBy;
    return observed;
  };

  const register = async (
    ref: ResourceRef,
    input: RegisterTaskDefinitionCommandInput,
    signal: AbortSignal,
  ) => {
    const out = await awsCall('RegisterTaskDefinition', ref.id, () =>
      ctx.ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal: signal }),
    );
    return toWriteResult(
      toObserved(ref, { definition: out.taskDefinition!, tags: fromEcsTags(out.tags ?? input.tags) }),
    );
  };

  return {
    api: 'ecs',
    precondition: 'read-before-write',
    maps: MAPS,
    normalize: normalizeTaskDefinition,
    // The create-time check at plan time: Fargate sizes, secret ARNs, executionRoleArn with secrets.
    validate: (attributes, _ref, context) =>
      planTimeIssues(taskDefinitionIssues(attributes), attributes, context),

    async observe(ref, call) {
      const live = await describe(ref, call.signal);
      return live ? toObserved(ref, live) : undefined;
    },

    async create(input, call) {
      throwIfInvalid(TYPE, input.ref, taskDefinitionIssues(input.attributes));
      const unit = unitOf(input.ref);
      const container = applyContainerAttributes({ name: unit, essential: true }, input.attributes);
      const request: RegisterTaskDefinitionCommandInput = {
        family: familyOf(input.ref),
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: String(normalizeCpu(input.attributes.cpu)),
        memory: String(normalizeMemory(input.attributes.memory)),
        containerDefinitions: [container],
        tags: toEcsTags(tagsForCreate(input.ref, input.attributes.tags)),
      };
      if (typeof input.attributes.executionRoleArn === 'string') {
        request.executionRoleArn = input.attributes.executionRoleArn;
      }
      return register(input.ref, request, call.signal);
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      const { current: live, live: observed } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved: (current) => toObserved(ref, current),
        missing: `task definition family ${familyOf(ref)} has no ACTIVE revision`,
        normalize: normalizeTaskDefinition,
        maps: MAPS,
      });

      const desired: Attributes = { ...observed.attributes };
      for (const [attribute, to] of grouped.plain) {
        if (to === undefined || to === null) delete desired[attribute];
        else desired[attribute] = to;
      }
      // Only what this patch changes is validated: live values set elsewhere are not Patchbay's to judge.
      const changed = new Set(grouped.plain.keys());
      if (changed.has('cpu') || changed.has('memory')) changed.add('cpu').add('memory');
      if (changed.has('secrets')) changed.add('executionRoleArn');
      throwIfInvalid(
        TYPE,
        ref,
        taskDefinitionIssues(desired).filter((issue) => changed.has(String(issue.path[0]))),
      );
      const unit = unitOf(ref);
      const current = live.definition;
      const next = nextRegistration(current, unit, desired);
      const tagChange = grouped.maps.get('tags');
      const definitionChanged = !isDeepStrictEqual(
        withoutTags(attributesOf(next as TaskDefinition, {}, unit)),
        withoutTags(attributesOf(current, {}, unit)),
      );
      if (!definitionChanged) {
        // Tags alone do not justify a new revision: tag the current one.
        await writeEcsTags(ctx, ref, current.taskDefinitionArn!, live.tags, tagChange, call.signal);
        return { physicalId: current.family!, outputs: observed.outputs };
      }
      const tags = applyMapChange(settableTags(live.tags), tagChange);
      next.tags = toEcsTags(tags) as Tag[];
      return register(ref, next, call.signal);
    },

    async delete(ref, call) {
      // Deregister revisions newest first until the family has no ACTIVE revision left.
      for (let i = 0; i < 10_000; i++) {
        const live = await describe(ref, call.signal);
        if (!live) return;
        await awsCall('DeregisterTaskDefinition', ref.id, () =>
          ctx.ecs.send(
            new DeregisterTaskDefinitionCommand({ taskDefinition: live.definition.taskDefinitionArn! }),
            {
              abortSignal: call.signal,
            },
          ),
        );
      }
    },
  };
}

/** The family: the physical id once known, else the deterministic name `<env>-<unit>`. */
function familyOf(ref: ResourceRef): string {
  return ref.physicalId ?? ref.name;
}

/** The container's name: the unit, i.e. the family without its `<env>-` prefix. */
function unitOf(ref: ResourceRef): string {
  const family = familyOf(ref);
  const prefix = `${ref.environment}-`;
  return family.startsWith(prefix) && family.length > prefix.length ? family.slice(prefix.length) : family;
}

function isMissingTaskDefinition(error: unknown): boolean {
  // ECS answers a family without ACTIVE revisions with ClientException "Unable to describe task definition."
  const message = error instanceof Error ? error.message : '';
  return classifyAwsError(error) === 'not-found' || /unable to describe task definition/i.test(message);
}

function attributesOf(definition: TaskDefinition, tags: TagMap, unit: string): Attributes {
  const container =
    definition.containerDefinitions?.find((c) => c.name === unit) ?? definition.containerDefinitions?.[0];
  const attrs: Attributes = {
    cpu: normalizeCpu(definition.cpu) as JsonValue,
    memory: normalizeMemory(definition.memory) as JsonValue,
    environment: Object.fromEntries(
      (container?.environment ?? []).filter((e) => e.name !== undefined).map((e) => [e.name!, e.value ?? '']),
    ),
    secrets: Object.fromEntries((container?.secrets ?? []).map((s) => [s.name, s.valueFrom])),
    tags: userTags(tags),
  };
  if (container?.image !== undefined) attrs.image = container.image;
  const port = container?.portMappings?.[0]?.containerPort;
  if (port !== undefined) attrs.port = port;
  if (definition.executionRoleArn) attrs.executionRoleArn = definition.executionRoleArn;
  for (const key of ['cpu', 'memory'] as const) if (attrs[key] === undefined) delete attrs[key];
  return attrs;
}

function withoutTags(attrs: Attributes): Attributes {
  const { tags: _tags, ...rest } = attrs;
  return rest;
}

/** The live definition with the desired attributes applied: what RegisterTaskDefinition gets. */
function nextRegistration(
  current: TaskDefinition,
  unit: string,
  desired: Attributes,
): RegisterTaskDefinitionCommandInput {
  const next: RegisterTaskDefinitionCommandInput = { family: current.family!, containerDefinitions: [] };
  for (const field of REGISTER_FIELDS) {
    if (current[field] !== undefined)
      (next as unknown as Record<string, unknown>)[field] = structuredClone(current[field]);
  }
  next.cpu = String(normalizeCpu(desired.cpu));
  next.memory = String(normalizeMemory(desired.memory));
  if (typeof desired.executionRoleArn === 'string') next.executionRoleArn = desired.executionRoleArn;
  else delete next.executionRoleArn;
  const containers = structuredClone(current.containerDefinitions ?? []);
  const index = Math.max(
    0,
    containers.findIndex((c) => c.name === unit),
  );
  containers[index] = applyContainerAttributes(containers[index] ?? { name: unit, essential: true }, desired);
  next.containerDefinitions = containers;
  return next;
}

/** Set image, port, environment and secrets (by ARN reference) on a container definition. */
function applyContainerAttributes(container: ContainerDefinition, attrs: Attributes): ContainerDefinition {
  const out: ContainerDefinition = { ...container };
  if (typeof attrs.image === 'string') out.image = attrs.image;
  if (typeof attrs.port === 'number') {
    const first = out.portMappings?.[0];
    // awsvpc requires hostPort to equal containerPort when it is given.
    const mapping = { ...(first ?? { protocol: 'tcp' as const }), containerPort: attrs.port };
    if (mapping.hostPort !== undefined) mapping.hostPort = attrs.port;
    out.portMappings = [mapping, ...(out.portMappings?.slice(1) ?? [])];
  } else {
    delete out.portMappings;
  }
  const env = (attrs.environment ?? {}) as Record<string, string>;
  out.environment = Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] }));
  const secrets = (attrs.secrets ?? {}) as Record<string, string>;
  out.secrets = Object.keys(secrets)
    .sort()
    .map((name) => ({ name, valueFrom: secrets[name]! }));
  return out;
}

/** Live tags that can be sent back on a new revision (`aws:` keys are reserved to AWS). */
function settableTags(tags: TagMap): TagMap {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith('aws:')));
}

/** What ECS would reject — and any secret passed by value — found before any call. */
function taskDefinitionIssues(attrs: Attributes): ValidationIssue[] {
  const issues: ValidationIssue[] = [...fargateSizeIssues(attrs.cpu, attrs.memory)];
  if (typeof attrs.image !== 'string' || attrs.image.trim() === '') {
    issues.push({ path: ['image'], message: 'must be a container image reference', received: attrs.image });
  }
  if (
    attrs.port !== undefined &&
    !(Number.isInteger(attrs.port) && (attrs.port as number) >= 1 && (attrs.port as number) <= 65535)
  ) {
    issues.push({ path: ['port'], message: 'must be a TCP port', received: attrs.port, allowed: '1..65535' });
  }
  const env = attrs.environment;
  if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env))) {
    issues.push({
      path: ['environment'],
      message: 'must be an object of strings',
      allowed: 'Record<string, string>',
    });
  } else {
    for (const [name, value] of Object.entries(env ?? {})) {
      // Values are not echoed: an environment variable may hold something sensitive.
      if (typeof value !== 'string')
        issues.push({ path: ['environment', name], message: 'must be a string' });
    }
  }
  const secrets = attrs.secrets;
  if (secrets !== undefined && (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))) {
    issues.push({
      path: ['secrets'],
      message: 'must map names to secret ARNs',
      allowed: 'Record<string, ARN>',
    });
  } else {
    for (const [name, value] of Object.entries(secrets ?? {})) {
      if (typeof value !== 'string' || !SECRET_ARN.test(value)) {
        issues.push({
          path: ['secrets', name],
          message:
            'must be a Secrets Manager or SSM parameter ARN: secrets are passed by reference, never by value',
          received: '(redacted)',
          allowed:
            'arn:aws:secretsmanager:<region>:<account>:secret:<name> | arn:aws:ssm:<region>:<account>:parameter/<name>',
        });
      }
    }
    if (Object.keys(secrets ?? {}).length > 0 && typeof attrs.executionRoleArn !== 'string') {
      issues.push({
        path: ['executionRoleArn'],
        message: 'is required when secrets are set (ECS reads them with the execution role)',
        allowed: 'an IAM role ARN',
      });
    }
  }
  if (
    attrs.executionRoleArn !== undefined &&
    (typeof attrs.executionRoleArn !== 'string' || !attrs.executionRoleArn.startsWith('arn:'))
  ) {
    issues.push({
      path: ['executionRoleArn'],
      message: 'must be an IAM role ARN',
      received: attrs.executionRoleArn,
    });
  }
  return issues;
}

export function normalizeTaskDefinition(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'cpu':
      return normalizeCpu(value) as JsonValue;
    case 'memory':
      return normalizeMemory(value) as JsonValue;
    case 'port':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'tags':
      return userTags(value as TagMap);
    default:
      return value;
  }
}
