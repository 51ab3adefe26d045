import type { Observed, ResourceSpec } from '@patchbay/core';
import { startSandbox } from '@patchbay/sandbox';
import type { ResourceFixture } from '@patchbay/testkit';
import { flagsApi } from '../../src/index.js';

/** The same fixture as the example's conformance test. */
export const flagFixture: ResourceFixture = {
  spec: (name): ResourceSpec => ({
    id: 'flag/checkout',
    type: 'flags.flag',
    name,
    attributes: {
      valueType: 'boolean',
      enabled: true,
      rollout: 12.345,
      description: 'New checkout flow',
      tags: { team: 'payments' },
    },
  }),
  patch: { attribute: 'rollout', value: 50 },
  conflict: {
    edit: (sandbox, o) => void sandbox.console.edit('flags', 'flag', recordId(o), { rolloutBasisPoints: 0 }),
  },
  outOfBand: {
    attribute: 'description',
    edit: (sandbox, o) =>
      void sandbox.console.edit('flags', 'flag', recordId(o), { description: 'Edited by ops' }),
  },
  immutable: { attribute: 'valueType', value: 'string' },
  counters: { api: 'flags', writeOperations: ['CreateFlag', 'UpdateFlag', 'DeleteFlag'] },
};

export const capabilities = { delete: true, immutable: true, adopt: true, throttling: true } as const;

export const sandbox = () => startSandbox({ apis: [flagsApi], operationDelayMs: 5 });

function recordId(observed: Observed): string {
  const [, project, , key] = observed.physicalId.split('/');
  return `${project}/${key}`;
}
