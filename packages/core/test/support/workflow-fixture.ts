import {
  accessPolicy,
  createEngine,
  createWorkflow,
  type Grant,
  MemoryStore,
  MemoryWorkflowStore,
  memoryProvider,
  type ResourceSpec,
  type WorkflowEventMap,
  WorkflowEvents,
  type WorkflowStore,
} from '@patchbay/core';

/** Who may do what in the workflow tests. */
export const GRANTS: Grant[] = [
  { actor: 'vic', role: 'viewer' },
  { actor: 'alice', role: 'proposer' },
  { actor: 'bob', role: 'approver' },
  { actor: 'dave', role: 'approver', environmentType: 'production' },
  { actor: 'carol', role: 'proposer' },
  { actor: 'carol', role: 'approver' },
  { actor: 'root', role: 'admin' },
];

/**
 * A workflow over two environments sharing one memory cloud: `prod` (production: manual approval) and
 * `dev` (development: automatic). Every workflow event is recorded in `log`.
 */
export function workflowFixture(
  options: { requiredApprovals?: number; store?: WorkflowStore; grants?: Grant[] } = {},
) {
  const memory = memoryProvider();
  const stateStore = new MemoryStore();
  const engines = {
    prod: createEngine({ environment: 'prod', providers: [memory], store: stateStore }),
    dev: createEngine({ environment: 'dev', providers: [memory], store: stateStore }),
  };
  const store = options.store ?? new MemoryWorkflowStore();
  const events = new WorkflowEvents();
  const log: { name: keyof WorkflowEventMap; payload: unknown }[] = [];
  for (const name of [
    'change:proposed',
    'change:approved',
    'change:rejected',
    'change:superseded',
    'change:applied',
    'change:failed',
    'permission:denied',
    'lock:released',
  ] as const) {
    events.on(name, (payload: unknown) => log.push({ name, payload }));
  }
  let next = 0;
  const make = () =>
    createWorkflow({
      environments: [
        {
          environment: { name: 'prod', type: 'production' },
          engine: engines.prod,
          stateStore,
          ...(options.requiredApprovals ? { requiredApprovals: options.requiredApprovals } : {}),
        },
        { environment: { name: 'dev', type: 'development' }, engine: engines.dev, stateStore },
      ],
      access: accessPolicy(options.grants ?? GRANTS),
      store,
      events,
      newId: () => `cr-${++next}`,
    });
  return {
    memory,
    cloud: memory.cloud,
    stateStore,
    engines,
    store,
    events,
    log,
    workflow: make(),
    restart: make,
  };
}

/** The one service of an environment, `replicas` as given. */
export function service(env: string, replicas: number, extra: Partial<ResourceSpec> = {}): ResourceSpec {
  return {
    id: 'svc',
    type: 'memory.service',
    name: `${env}-svc`,
    attributes: { replicas, image: 'api:1' },
    ...extra,
  };
}
