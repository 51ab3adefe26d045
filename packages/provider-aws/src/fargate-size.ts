import type { ValidationIssue } from '@patchbay/core';

/**
 * Fargate's valid task sizes: CPU units → allowed memory in MiB.
 * Source: "Task CPU and memory" in the Amazon ECS developer guide (Fargate).
 */
const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * CPU units as a number: ECS returns `"256"`, accepts `"0.25 vCPU"` / `"1 vcpu"` too.
 * Unparseable values are returned unchanged, so validation can name them.
 */
export function normalizeCpu(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return /^\d+$/.test(text) ? Number(text) : value;
}

/** Memory in MiB as a number: ECS returns `"512"`, accepts `"2 GB"` / `"0.5GB"` too. */
export function normalizeMemory(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const gb = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(text);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  const mb = /^(\d+)\s*(?:mb|mib)?$/i.exec(text);
  return mb ? Number(mb[1]) : value;
}

/** Issues for a cpu/memory pair Fargate would reject. */
export function fargateSizeIssues(cpu: unknown, memory: unknown): ValidationIssue[] {
  const c = normalizeCpu(cpu);
  const m = normalizeMemory(memory);
  const allowedCpu = [...FARGATE_SIZES.keys()];
  if (typeof c !== 'number' || !FARGATE_SIZES.has(c)) {
    return [
      { path: ['cpu'], message: 'is not a Fargate CPU size (CPU units)', received: cpu, allowed: allowedCpu },
    ];
  }
  const allowedMemory = FARGATE_SIZES.get(c)!;
  if (typeof m !== 'number' || !allowedMemory.includes(m)) {
    return [
      {
        path: ['memory'],
        message: `is not a Fargate memory size (MiB) for cpu ${c}`,
        received: memory,
        allowed: allowedMemory,
      },
    ];
  }
  return [];
}
