import { startSandbox } from '@patchbay/sandbox';
import { testProvider } from '@patchbay/testkit';
import { flags, flagsApi } from '../src/index.js';

const PROJECT = 'demo';

testProvider({
  name: 'flags provider conformance',
  sandbox: () => startSandbox({ apis: [flagsApi], operationDelayMs: 5 }),
  provider: (sandbox) => flags({ endpoint: sandbox.url, project: PROJECT }),
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
  fixtures: [
    {
      spec: (name) => ({
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
      // Someone pauses the rollout of the same flag in the console, between plan and apply.
      conflict: {
        edit: (sandbox, observed) =>
          void sandbox.console.edit('flags', 'flag', recordId(observed.physicalId), {
            rolloutBasisPoints: 0,
          }),
      },
      // Someone reworded the description in the console: a later patch of `rollout` must keep it.
      outOfBand: {
        attribute: 'description',
        edit: (sandbox, observed) =>
          void sandbox.console.edit('flags', 'flag', recordId(observed.physicalId), {
            description: 'Edited by ops',
          }),
      },
      immutable: { attribute: 'valueType', value: 'string' },
      counters: { api: 'flags', writeOperations: ['CreateFlag', 'UpdateFlag', 'DeleteFlag'] },
    },
  ],
});

/** `projects/demo/flags/k` → the sandbox record id `demo/k`. */
function recordId(physicalId: string): string {
  const [, project, , key] = physicalId.split('/');
  return `${project}/${key}`;
}
