import {
  createEngine,
  type EngineEventMap,
  EngineEvents,
  type EngineOptions,
  type MemoryProviderOptions,
  MemoryStore,
  memoryProvider,
  type ResourceSpec,
  type StateStore,
} from '@patchbay/core';

/** One engine over a memory provider and store, recording every event it emits. */
export function engineFixture(
  options: { provider?: MemoryProviderOptions; engine?: Partial<EngineOptions>; store?: StateStore } = {},
) {
  const memory = memoryProvider(options.provider);
  const store = options.store ?? new MemoryStore();
  const events = new EngineEvents();
  const log: { name: keyof EngineEventMap; payload: unknown }[] = [];
  for (const name of [
    'plan:computed',
    'action:started',
    'action:progress',
    'action:finished',
    'action:failed',
    'retry:scheduled',
    'drift:kept',
    'conflict',
    'apply:finished',
    'refresh:finished',
  ] as const) {
    events.on(name, (payload: unknown) => log.push({ name, payload }));
  }
  const engine = createEngine({ environment: 'test', providers: [memory], store, events, ...options.engine });
  return {
    memory,
    cloud: memory.cloud,
    store,
    engine,
    log,
    async converge(desired: ResourceSpec[]) {
      const plan = await engine.plan(desired);
      return { plan, result: await engine.apply(plan) };
    },
  };
}

export function service(replicas = 2, extra: Record<string, unknown> = {}): ResourceSpec {
  return {
    id: 'svc',
    type: 'memory.service',
    name: 'test-svc',
    attributes: {
      replicas,
      image: 'api:1',
      tags: { team: 'core' },
      ...(extra as ResourceSpec['attributes']),
    },
  };
}
