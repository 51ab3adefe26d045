import { v2 } from '@google-cloud/run';
import {
  type AppInput,
  createEngine,
  desiredResources,
  type Engine,
  type EnvironmentInput,
  MemoryStore,
  type Plan,
  type PlannedAction,
  parseApp,
  parseEnvironment,
  planAllocation,
} from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// End to end on gcp/cloud-run/cloud-sql: parse → planAllocation → desiredResources → engine plan/apply with
// gcp() and the real Google clients against the sandbox.

const ENV = 'shop';
const PROJECT = 'shop-project';
const REGION = 'europe-west1';
const SERVICE = `projects/${PROJECT}/locations/${REGION}/services/${ENV}-app`;

const app: AppInput = {
  name: 'shop',
  services: [
    { name: 'gateway', public: true, calls: ['catalog'], image: 'registry.example.com/shop:1' },
    { name: 'catalog', databases: ['main'], image: 'registry.example.com/shop:1' },
    { name: 'worker', databases: ['main'], image: 'registry.example.com/shop:1' },
  ],
  databases: [{ name: 'main' }],
};

function desired(cpu = 0.5) {
  const environment: EnvironmentInput = {
    name: ENV,
    cloud: { provider: 'gcp', project: PROJECT, region: REGION },
    compute: { kind: 'cloud-run' },
    database: { kind: 'cloud-sql', availability: 'zonal', databaseVersion: 'POSTGRES_16' },
    sizing: { cpu, memory: 1024, minInstances: 1, maxInstances: 3 },
    allocation: { strategy: 'single' },
  };
  const env = parseEnvironment(environment);
  const parsed = parseApp(app);
  return desiredResources(env, parsed, planAllocation(parsed, env));
}

function actionOf(plan: Plan, id: string): PlannedAction {
  const action = plan.actions.find((a) => a.id === id);
  if (!action) throw new Error(`no action for ${id}`);
  return action;
}

const calls = (sandbox: Sandbox) =>
  Object.fromEntries(Object.entries(sandbox.counters.snapshot()).filter(([, n]) => n > 0));

let sandbox: Sandbox;
let engine: Engine;
let run: v2.ServicesClient;

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  run = new v2.ServicesClient(googleClientOptions(sandbox));
  engine = createEngine({
    environment: ENV,
    providers: [
      gcp({
        project: PROJECT,
        region: REGION,
        ...googleClientOptions(sandbox),
        clients: { run },
        pollIntervalMs: 2,
      }),
    ],
    store: new MemoryStore(),
    retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 100 },
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('gcp/cloud-run/cloud-sql end to end', () => {
  it('applies the environment (Cloud SQL first, its address in the service environment), then plans nothing', async () => {
    const specs = desired();
    expect(specs.map((s) => `${s.type} ${s.id}`).sort()).toEqual([
      'gcp.run.service compute/app',
      'gcp.sql.instance db/main',
    ]);
    const plan = await engine.plan(specs);
    expect(plan.summary.create).toBe(2);
    const result = await engine.apply(plan);
    expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.message))).toBe(true);

    const service = sandbox.console.get('cloudrun', 'service', SERVICE)!.data as {
      labels: Record<string, string>;
      template: { containers: { env: { name: string; value: string }[] }[] };
    };
    expect(service.labels).toMatchObject({
      'patchbay-environment': 'shop',
      'patchbay-logical-id': 'compute_app',
    });
    const env = Object.fromEntries(service.template.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(env.PATCHBAY_DATABASE_MAIN_HOST).toBe('10.20.0.3');
    const instance = sandbox.console.get('cloudsql', 'instance', `${PROJECT}/${ENV}-main`)!.data as {
      databaseVersion: string;
      settings: { userLabels: Record<string, string> };
    };
    expect(instance.settings.userLabels).toMatchObject({
      'patchbay-environment': 'shop',
      'patchbay-logical-id': 'db_main',
    });

    sandbox.counters.reset();
    const again = await engine.plan(specs);
    expect(again.empty).toBe(true);
    expect(again.reads).toBe(0);
    expect(sandbox.counters.total()).toBe(0);
  });

  it('keeps a console maxInstances edit and a console label through a cpu change, patching cpu alone', async () => {
    sandbox.console.edit('cloudrun', 'service', SERVICE, {
      template: { scaling: { minInstanceCount: 1, maxInstanceCount: 7 } },
    });
    sandbox.console.tag('cloudsql', 'instance', `${PROJECT}/${ENV}-main`, 'cost-center', 'retail');

    const bigger = desired(1);
    sandbox.counters.reset();
    const plan = await engine.plan(bigger);
    // One read (the service whose desired cpu moved); the database is not read at all.
    expect(plan.reads).toBe(1);
    expect(calls(sandbox)).toEqual({ 'cloudrun.GetService': 1 });
    const action = actionOf(plan, 'compute/app');
    expect(action.kind).toBe('update');
    expect(action.attributes.filter((a) => a.case !== 'unchanged')).toEqual([
      expect.objectContaining({
        attribute: 'cpu',
        case: 'patch',
        lastApplied: 0.5,
        desired: 1,
        observed: 0.5,
      }),
      expect.objectContaining({ attribute: 'maxInstances', case: 'drift-kept', lastApplied: 3, observed: 7 }),
    ]);
    expect(actionOf(plan, 'db/main').kind).toBe('noop');

    const update = vi.spyOn(run, 'updateService');
    sandbox.counters.reset();
    const result = await engine.apply(plan);
    expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.message))).toBe(true);
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0]![0]?.updateMask?.paths).toEqual(['template.containers']);
    update.mockRestore();
    const applyCalls = calls(sandbox);
    // The write is built from the copy the plan read at this etag: no read before it, one masked write.
    expect(applyCalls['cloudrun.UpdateService']).toBe(1);
    expect(Object.keys(applyCalls).filter((k) => !k.startsWith('cloudrun.'))).toEqual([]);

    const service = sandbox.console.get('cloudrun', 'service', SERVICE)!.data as {
      template: {
        scaling: Record<string, number>;
        containers: { resources: { limits: Record<string, string> } }[];
      };
    };
    expect(service.template.scaling.maxInstanceCount).toBe(7);
    expect(service.template.containers[0]!.resources.limits.cpu).toBe('1');
    const labels = (
      sandbox.console.get('cloudsql', 'instance', `${PROJECT}/${ENV}-main`)!.data as {
        settings: { userLabels: Record<string, string> };
      }
    ).settings.userLabels;
    expect(labels['cost-center']).toBe('retail');

    sandbox.counters.reset();
    const after = await engine.plan(bigger);
    expect(after.empty).toBe(true);
    expect(after.reads).toBe(0);
    expect(sandbox.counters.total()).toBe(0);
  });
});
