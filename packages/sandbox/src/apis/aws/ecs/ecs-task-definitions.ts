import { parseInput } from '../../../protocols/aws/parse-input.js';
import { epochSeconds } from '../aws-account.js';
import { type EcsEnv, lastSegment } from './ecs-env.js';
import { ecsError } from './ecs-errors.js';
import type { EcsTaskDefinition } from './ecs-records.js';
import {
  deregisterTaskDefinitionInput,
  describeTaskDefinitionInput,
  listTaskDefinitionsInput,
  registerTaskDefinitionInput,
} from './ecs-schemas.js';

export function registerTaskDefinition(body: unknown, env: EcsEnv): object {
  const input = parseInput(registerTaskDefinitionInput, body, 'ClientException');
  if (input.requiresCompatibilities?.includes('FARGATE')) {
    if (input.networkMode !== 'awsvpc') {
      throw ecsError.client('Fargate only supports network mode ‘awsvpc’.');
    }
    if (!input.cpu || !input.memory) {
      throw ecsError.client("Fargate requires that 'cpu' be defined at the task level.");
    }
  }
  const revision = latestRevision(input.family, env) + 1;
  const { tags, ...definition } = input;
  const now = env.ctx.now();
  const record: EcsTaskDefinition = {
    ...definition,
    taskDefinitionArn: env.arn(`task-definition/${input.family}:${revision}`),
    family: input.family,
    revision,
    status: 'ACTIVE',
    registeredAt: epochSeconds(now),
    registeredBy: 'arn:aws:iam::123456789012:user/sandbox',
    compatibilities: input.requiresCompatibilities?.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
    tags: tags ?? [],
  };
  env.taskDefinitions.put(`${input.family}:${revision}`, record);
  return { taskDefinition: wire(record), tags: record.tags };
}

export function describeTaskDefinition(body: unknown, env: EcsEnv): object {
  const input = parseInput(describeTaskDefinitionInput, body, 'ClientException');
  const record = findTaskDefinition(input.taskDefinition, env);
  if (!record) throw ecsError.client('Unable to describe task definition.');
  return input.include?.includes('TAGS')
    ? { taskDefinition: wire(record), tags: record.tags }
    : { taskDefinition: wire(record) };
}

export function deregisterTaskDefinition(body: unknown, env: EcsEnv): object {
  const input = parseInput(deregisterTaskDefinitionInput, body, 'ClientException');
  const reference = lastSegment(input.taskDefinition);
  if (!reference.includes(':')) throw ecsError.client('Task definition revision must be specified.');
  const record = env.taskDefinitions.get(reference)?.data;
  if (!record) throw ecsError.client('The specified task definition does not exist.');
  const deregistered: EcsTaskDefinition = {
    ...record,
    status: 'INACTIVE',
    deregisteredAt: epochSeconds(env.ctx.now()),
  };
  env.taskDefinitions.put(reference, deregistered);
  return { taskDefinition: wire(deregistered) };
}

export function listTaskDefinitions(body: unknown, env: EcsEnv): object {
  const input = parseInput(listTaskDefinitionsInput, body, 'ClientException');
  const status = input.status ?? 'ACTIVE';
  const records = env.taskDefinitions
    .values()
    .map((r) => r.data)
    .filter((r) => r.status === status && (!input.familyPrefix || r.family.startsWith(input.familyPrefix)))
    .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
  if (input.sort === 'DESC') records.reverse();
  const start = input.nextToken ? Number(input.nextToken) : 0;
  const size = input.maxResults ?? 100;
  const page = records.slice(start, start + size);
  const next = start + size < records.length ? String(start + size) : undefined;
  return { taskDefinitionArns: page.map((r) => r.taskDefinitionArn), ...(next ? { nextToken: next } : {}) };
}

/** By ARN, `family:revision`, or `family` (its latest ACTIVE revision). */
export function findTaskDefinition(reference: string, env: EcsEnv): EcsTaskDefinition | undefined {
  const key = lastSegment(reference);
  if (key.includes(':')) return env.taskDefinitions.get(key)?.data;
  return env.taskDefinitions
    .values()
    .map((r) => r.data)
    .filter((r) => r.family === key && r.status === 'ACTIVE')
    .sort((a, b) => b.revision - a.revision)[0];
}

function latestRevision(family: string, env: EcsEnv): number {
  let latest = 0;
  for (const record of env.taskDefinitions.values()) {
    if (record.data.family === family) latest = Math.max(latest, record.data.revision);
  }
  return latest;
}

function wire(record: EcsTaskDefinition): object {
  const { tags: _tags, ...rest } = record;
  return rest;
}
