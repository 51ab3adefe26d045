/** The compute kinds Patchbay deploys processes to. */
export type ComputeKind = 'fargate' | 'cloud-run' | 'kubernetes';

/** vCPU sizes accepted in `sizing.cpu` (the union of what Fargate, Cloud Run and Kubernetes take). */
export const CPU_VALUES = [0.25, 0.5, 1, 2, 4, 6, 8, 16] as const;

/** Fargate's task sizes: vCPU → allowed memory in MiB (from the ECS task definition docs). */
const FARGATE: ReadonlyArray<{ cpu: number; min: number; max: number; step: number; extra?: number[] }> = [
  { cpu: 0.25, min: 1024, max: 2048, step: 1024, extra: [512] },
  { cpu: 0.5, min: 1024, max: 4096, step: 1024 },
  { cpu: 1, min: 2048, max: 8192, step: 1024 },
  { cpu: 2, min: 4096, max: 16384, step: 1024 },
  { cpu: 4, min: 8192, max: 30720, step: 1024 },
  { cpu: 8, min: 16384, max: 61440, step: 4096 },
  { cpu: 16, min: 32768, max: 122880, step: 8192 },
];

const CLOUD_RUN_CPUS = [0.25, 0.5, 1, 2, 4, 6, 8];

/** Cloud Run: memory ceilings for fractional CPU and the CPU floors that large memory needs. */
function cloudRunMinMemory(cpu: number): number {
  if (cpu >= 6) return 4096;
  if (cpu >= 4) return 2048;
  return 128;
}
function cloudRunMaxMemory(cpu: number): number {
  if (cpu < 0.5) return 512;
  if (cpu < 1) return 1024;
  if (cpu < 2) return 4096;
  if (cpu < 4) return 8192;
  if (cpu < 6) return 16384;
  if (cpu < 8) return 24576;
  return 32768;
}

function fargateMemoryValues(cpu: number): number[] {
  const row = FARGATE.find((r) => r.cpu === cpu);
  if (!row) return [];
  const values = [...(row.extra ?? [])];
  for (let m = row.min; m <= row.max; m += row.step) values.push(m);
  return values;
}

/** Why `cpu`/`memory` cannot run on `kind`, or `undefined` when they can. */
export function sizingProblem(kind: ComputeKind, cpu: number, memory: number): string | undefined {
  if (kind === 'fargate') {
    const allowed = fargateMemoryValues(cpu);
    if (allowed.length === 0) return `Fargate offers ${FARGATE.map((r) => r.cpu).join(', ')} vCPU`;
    if (!allowed.includes(memory)) return `Fargate with ${cpu} vCPU takes memory ${describe(allowed)} MiB`;
    return undefined;
  }
  if (kind === 'cloud-run') {
    if (!CLOUD_RUN_CPUS.includes(cpu)) return `Cloud Run offers ${CLOUD_RUN_CPUS.join(', ')} vCPU`;
    const min = cloudRunMinMemory(cpu);
    const max = cloudRunMaxMemory(cpu);
    if (memory < min || memory > max) return `Cloud Run with ${cpu} vCPU takes ${min}-${max} MiB of memory`;
    return undefined;
  }
  return undefined;
}

function describe(values: number[]): string {
  if (values.length <= 4) return values.join(', ');
  return `${values[0]}, ${values[1]}, ... ${values[values.length - 1]}`;
}

/** A process size that the compute kind accepts: vCPU and MiB. */
export interface FittedSizing {
  cpu: number;
  memory: number;
  /** True when the request exceeded the platform's largest size and was capped to it. */
  capped: boolean;
}

/**
 * The smallest size that `kind` accepts and that is at least `cpu` vCPU and `memory` MiB. Used when a
 * process hosts several services and their summed needs fall between the platform's sizes.
 */
export function fitSizing(kind: ComputeKind, cpu: number, memory: number): FittedSizing {
  if (kind === 'fargate') {
    for (const row of FARGATE) {
      if (row.cpu < cpu) continue;
      const fit = fargateMemoryValues(row.cpu)
        .sort((a, b) => a - b)
        .find((m) => m >= memory);
      if (fit !== undefined) return { cpu: row.cpu, memory: fit, capped: false };
    }
    const last = FARGATE[FARGATE.length - 1]!;
    return { cpu: last.cpu, memory: last.max, capped: true };
  }
  if (kind === 'cloud-run') {
    for (const c of CLOUD_RUN_CPUS) {
      if (c < cpu || cloudRunMaxMemory(c) < memory) continue;
      return { cpu: c, memory: Math.max(memory, cloudRunMinMemory(c)), capped: false };
    }
    return { cpu: 8, memory: 32768, capped: true };
  }
  return { cpu, memory, capped: false };
}
