import { outputRef, type ResourceSpec } from '@patchbay/core';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type ResourceFixture, testProvider } from '@patchbay/testkit';
import { neon } from '../src/index.js';

// The Patchbay conformance suite for the Neon types it can express, against the sandbox through the real
// `@neondatabase/api-client`. `neon.role` and `neon.database` are not here: the suite needs a patchable
// attribute and a second, console-editable one (or another key of a map attribute). A role has no update at
// all (Neon offers none); a database has one editable attribute (`owner`), and neither type has a map
// attribute (Neon keeps no tags on them). `test/neon-types.test.ts` and `test/neon-identity.test.ts` cover them.

const DAY = 86_400_000;
// Neon takes expiry times in the near future only; fixed per run so every session's spec is the same.
const at = (days: number) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY).toISOString();
const EXPIRES = at(7);
const EXPIRES_PATCHED = at(14);
const EXPIRES_CONSOLE = at(21);

const edit = (sandbox: Sandbox, kind: string, id: string, change: Record<string, unknown>) =>
  void sandbox.console.edit('neon', kind, id, change);

const project = (name: string): ResourceSpec => ({
  id: 'db/neon/project',
  type: 'neon.project',
  name,
  attributes: { region: 'aws-us-east-2', historyRetentionSeconds: 86_400 },
});

const branch = (name: string, id = 'db/neon/branch'): ResourceSpec => ({
  id,
  type: 'neon.branch',
  name,
  attributes: {
    project: outputRef('db/neon/project', 'id'),
    parent: outputRef('db/neon/project', 'defaultBranchId'),
  },
});

const neonWrites = (operations: string[]) => ({ api: 'neon', writeOperations: operations });

const projectFixture: ResourceFixture = {
  spec: project,
  patch: { attribute: 'historyRetentionSeconds', value: 3_600 },
  conflict: {
    edit: (sandbox, observed) =>
      edit(sandbox, 'project', observed.physicalId, { history_retention_seconds: 7_200 }),
  },
  outOfBand: {
    attribute: 'pgVersion',
    edit: (sandbox, observed) => edit(sandbox, 'project', observed.physicalId, { pg_version: 15 }),
  },
  immutable: { attribute: 'region', value: 'aws-eu-central-1' },
  counters: neonWrites(['createProject', 'updateProject', 'deleteProject']),
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const branchFixture: ResourceFixture = {
  spec: (name) => {
    const spec = branch(name);
    return { ...spec, attributes: { ...spec.attributes, expiresAt: EXPIRES } };
  },
  dependencies: (name) => [project(name), branch(`${name}p`, 'db/neon/parent')],
  patch: { attribute: 'expiresAt', value: EXPIRES_PATCHED },
  conflict: {
    edit: (sandbox, observed) =>
      edit(sandbox, 'branch', observed.physicalId, { expires_at: EXPIRES_CONSOLE }),
  },
  outOfBand: {
    attribute: 'protected',
    edit: (sandbox, observed) => edit(sandbox, 'branch', observed.physicalId, { protected: true }),
  },
  immutable: { attribute: 'parent', value: outputRef('db/neon/parent', 'id') as never },
  counters: neonWrites(['createProjectBranch', 'updateProjectBranch', 'deleteProjectBranch']),
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const endpointFixture: ResourceFixture = {
  spec: (name) => ({
    id: 'db/neon/endpoint',
    type: 'neon.endpoint',
    name,
    attributes: {
      project: outputRef('db/neon/project', 'id'),
      branch: outputRef('db/neon/branch', 'id'),
      minCu: 0.25,
      maxCu: 1,
      suspendTimeoutSeconds: 300,
    },
  }),
  dependencies: (name) => [project(name), branch(name), branch(`${name}o`, 'db/neon/other')],
  patch: { attribute: 'maxCu', value: 2 },
  conflict: {
    edit: (sandbox, observed) =>
      edit(sandbox, 'endpoint', observed.physicalId, { autoscaling_limit_max_cu: 4 }),
  },
  outOfBand: {
    attribute: 'suspendTimeoutSeconds',
    edit: (sandbox, observed) =>
      edit(sandbox, 'endpoint', observed.physicalId, { suspend_timeout_seconds: 600 }),
  },
  immutable: { attribute: 'branch', value: outputRef('db/neon/other', 'id') as never },
  counters: neonWrites(['createProjectEndpoint', 'updateProjectEndpoint', 'deleteProjectEndpoint']),
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

testProvider({
  name: 'neon provider conformance',
  sandbox: () => startSandbox({ apis: undefined, operationDelayMs: 5 }),
  provider: (sandbox) => neon({ apiKey: 'test', baseURL: sandbox.endpoints.neon.baseURL, pollIntervalMs: 5 }),
  fixtures: [projectFixture, branchFixture, endpointFixture],
});
