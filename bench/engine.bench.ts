/**
 * Engine benchmark: the in-memory provider with 20 ms per call, N = 10, 100, 1,000 services deployed
 * per-service (each unit: a task definition + a service that refers to its `arn`, as on ECS).
 * Run: npx tsx --conditions=patchbay-source bench/engine.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createEngine,
  FileStore,
  MemoryStore,
  memoryProvider,
  outputRef,
  type ResourceSpec,
  type StateStore,
} from '../packages/core/src/index.js';

const LATENCY_MS = 20;
const CONCURRENCY = 8;

function desired(n: number, replicas: (i: number) => number): ResourceSpec[] {
  return Array.from({ length: n }, (_, i): ResourceSpec[] => [
    {
      id: `compute/s${i}/task`,
      type: 'memory.task',
      name: `bench-s${i}`,
      attributes: {
        cpu: 256,
        memory: 512,
        image: `registry/s${i}:1`,
        tags: { 'patchbay:environment': 'bench' },
      },
    },
    {
      id: `compute/s${i}`,
      type: 'memory.service',
      name: `bench-s${i}`,
      attributes: {
        taskDefinition: outputRef(`compute/s${i}/task`, 'arn'),
        desiredCount: replicas(i),
        tags: {},
      },
    },
  ]).flat();
}

interface Row {
  n: number;
  step: string;
  calls: number;
  wallMs: number;
  planCpuMs?: number;
  bound?: number;
}

async function run(n: number, store: StateStore, storeName: string): Promise<Row[]> {
  const memory = memoryProvider({ latencyMs: LATENCY_MS });
  const engine = createEngine({ environment: 'bench', providers: [memory], store, concurrency: CONCURRENCY });
  const rows: Row[] = [];
  const step = async (name: string, specs: ResourceSpec[], bound?: number, planRuns = 1) => {
    // Plans are read-only: for small steps the plan is computed a few times and the median CPU reported,
    // so garbage collection left over from the previous step does not count against it.
    const cpus: number[] = [];
    for (let i = 1; i < planRuns; i++) {
      const c0 = process.cpuUsage();
      await engine.plan(specs);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
    }
    memory.cloud.resetCounters();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const plan = await engine.plan(specs);
    const used = process.cpuUsage(cpu0);
    cpus.push((used.user + used.system) / 1000);
    const planCpuMs = cpus.sort((x, y) => x - y)[Math.floor(cpus.length / 2)]!;
    const result = await engine.apply(plan);
    if (!result.ok) throw new Error(`${name} did not apply cleanly: ${JSON.stringify(result.summary)}`);
    rows.push({
      n,
      step: `${name} [${storeName}]`,
      calls: memory.cloud.calls,
      wallMs: performance.now() - t0,
      planCpuMs,
      ...(bound ? { bound } : {}),
    });
  };
  await step(
    '(a) first apply',
    desired(n, () => 1),
  );
  await step(
    '(b) one-attribute change',
    desired(n, (i) => (i === 0 ? 2 : 1)),
  );
  // No change at all: the plan is pure CPU (no read), the number the "plan CPU" target is about.
  memory.cloud.resetCounters();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const empty = await engine.plan(desired(n, (i) => (i === 0 ? 2 : 1)));
  const cpu = process.cpuUsage(cpu0);
  rows.push({
    n,
    step: `    no-change plan [${storeName}]`,
    calls: memory.cloud.calls,
    wallMs: performance.now() - t0,
    planCpuMs: (cpu.user + cpu.system) / 1000,
  });
  if (!empty.empty) throw new Error('plan after apply is not empty');
  memory.cloud.resetCounters();
  const r0 = performance.now();
  await engine.refresh();
  rows.push({
    n,
    step: `(c) refresh [${storeName}]`,
    calls: memory.cloud.calls,
    wallMs: performance.now() - r0,
  });
  // N independent updates: one observe (plan) + one patch (apply) each.
  await step(
    '(d) N independent updates',
    desired(n, () => 3),
    Math.ceil(n / CONCURRENCY) * LATENCY_MS * 2,
  );
  return rows;
}

const rows: Row[] = [];
for (const n of [10, 100, 1000]) rows.push(...(await run(n, new MemoryStore(), 'memory')));
const dir = await mkdtemp(join(tmpdir(), 'patchbay-bench-'));
for (const n of [100, 1000]) rows.push(...(await run(n, new FileStore(join(dir, String(n))), 'file')));
await rm(dir, { recursive: true, force: true });

console.log(
  `latency ${LATENCY_MS} ms/call, concurrency ${CONCURRENCY}, resources = 2 × N (task definition + service)\n`,
);
console.log(
  'N     step                                  API calls   wall ms   plan CPU ms   target wall ms (d: ceil(N/c)·lat·2 ×1.2)',
);
for (const r of rows) {
  console.log(
    `${String(r.n).padEnd(6)}${r.step.padEnd(38)}${String(r.calls).padStart(9)}${r.wallMs.toFixed(0).padStart(10)}` +
      `${(r.planCpuMs === undefined ? '' : r.planCpuMs.toFixed(1)).padStart(14)}` +
      `${r.bound ? `${String(Math.round(r.bound * 1.2)).padStart(10)}  (${(r.wallMs / r.bound).toFixed(2)}× of the bound)` : ''}`,
  );
}
