import type { JsonValue } from '@patchbay/core';

/** Cloud Run's defaults when a container sets no limits: 1 vCPU, 512 MiB. */
export const DEFAULT_CPU = 1;
export const DEFAULT_MEMORY_MIB = 512;

const MEMORY_UNITS: Record<string, number> = {
  '': 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/**
 * vCPU as a number: `1`, `"1"`, `"1000m"`, `"0.5"` → 1, 1, 1, 0.5. Anything else is returned unchanged (and
 * then fails validation), so normalization never hides bad input.
 */
export function parseCpu(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value === 'number') return round(value);
  if (typeof value !== 'string') return value;
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(value);
  if (!m) return value;
  return round(m[2] ? Number(m[1]) / 1000 : Number(m[1]));
}

/** MiB as a number: `512`, `"512Mi"`, `"1Gi"`, `"536870912"` (bytes), `"512M"` → MiB (rounded). */
export function parseMemory(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k|M|G|Ki|Mi|Gi|Ti)?\s*$/.exec(value);
  if (!m) return value;
  return Math.round(Number(m[1]) * (MEMORY_UNITS[m[2] ?? ''] as number));
}

/** The Kubernetes-style quantity Cloud Run takes: 0.25 → `"250m"`, 2 → `"2"`. */
export function formatCpu(vcpu: number): string {
  return Number.isInteger(vcpu) ? String(vcpu) : `${Math.round(vcpu * 1000)}m`;
}

/** 512 → `"512Mi"`, 2048 → `"2Gi"`. */
export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
