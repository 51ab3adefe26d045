/**
 * @module Allocation benchmark: planAllocation + planTransition on seeded random call graphs.
 * Run: npx tsx --conditions=patchbay-source bench/allocation.bench.ts
 * Not a timed test: it prints figures, it asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type AllocationStrategyInput,
  type AppInput,
  parseApp,
  parseEnvironment,
  planAllocation,
  planTransition,
} from '../packages/core/src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Mulberry32: a tiny seeded PRNG so every run benchmarks the same graphs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n services, each calling 0-4 others (weights 1-100), 1 in 50 isolated, 1 in 10 with resource hints. */
function randomApp(n: number, seed: number): AppInput {
  const rand = random(seed);
  const name = (i: number) => `svc-${i}`;
  return {
    name: 'bench',
    databases: [{ name: 'main' }],
    services: Array.from({ length: n }, (_, i) => ({
      name: name(i),
      public: i === 0,
      isolate: rand() < 0.02,
      databases: rand() < 0.3 ? ['main'] : [],
      ...(rand() < 0.1 ? { resources: { cpu: 0.25, memory: 512 } } : {}),
      calls: Array.from({ length: Math.floor(rand() * 5) }, () => ({
        service: name(Math.floor(rand() * n)),
        weight: 1 + Math.floor(rand() * 100),
      })).filter((c) => c.service !== name(i)),
    })),
  };
}

const strategies = (n: number): AllocationStrategyInput[] => [
  { strategy: 'single' },
  { strategy: 'per-service' },
  {
    strategy: 'groups',
    groups: Object.fromEntries(
      Array.from({ length: Math.ceil(n / 10) }, (_, g) => [
        `group-${g}`,
        Array.from({ length: Math.min(10, n - g * 10) }, (_, j) => `svc-${g * 10 + j}`),
      ]),
    ),
  },
  { strategy: 'auto', maxServicesPerUnit: 8, maxCpuPerUnit: 2 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const env = {
  name: 'bench',
  cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
  compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
  database: { kind: 'rds' },
};
const rows: string[][] = [];
for (const n of [10, 100, 1000, 5000]) {
  const app = parseApp(randomApp(n, 42 + n));
  const single = planAllocation(app, parseEnvironment({ ...env, allocation: { strategy: 'single' } }));
  for (const allocation of strategies(n)) {
    const parsedEnv = parseEnvironment({ ...env, type: 'production', allocation });
    const runs = n >= 5000 ? 3 : 7;
    planAllocation(app, parsedEnv); // warm-up
    const planMs: number[] = [];
    const transitionMs: number[] = [];
    let heapMiB = 0;
    let units = 0;
    for (let r = 0; r < runs; r++) {
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const result = planAllocation(app, parsedEnv);
      const t1 = performance.now();
      const steps = planTransition(single, result);
      const t2 = performance.now();
      heapMiB = Math.max(heapMiB, (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
      planMs.push(t1 - t0);
      transitionMs.push(t2 - t1);
      units = result.units.length;
      if (steps.length === 0 && allocation.strategy !== 'single') throw new Error('no transition steps');
    }
    rows.push([
      String(n),
      allocation.strategy,
      String(units),
      median(planMs).toFixed(1),
      median(transitionMs).toFixed(1),
      heapMiB.toFixed(1),
    ]);
  }
}

const header = [
  'services',
  'strategy',
  'units',
  'planAllocation ms',
  'planTransition ms (from single)',
  'heap growth MiB',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const row of rows) console.log(line(row));
console.log(
  `\nmedian of 7 runs (3 at 5,000) after a warm-up; heap growth = heapUsed after minus before one run, GC'd before, ` +
    `result retained (the largest of the runs). Process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB. ` +
    `Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs.`,
);
