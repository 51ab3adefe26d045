import { neonError } from './neon-errors.js';

/** Compute sizes Neon offers: 0.25, 0.5, 1–16 (autoscaling) and the fixed sizes 18–56 in steps of 2. */
export const NEON_COMPUTE_UNITS: readonly number[] = [
  0.25,
  0.5,
  ...Array.from({ length: 16 }, (_, i) => i + 1),
  ...Array.from({ length: 20 }, (_, i) => 18 + i * 2),
];

/** Largest autoscaling maximum; above it a compute has a fixed size (min = max). */
export const NEON_MAX_AUTOSCALING_CU = 16;
/** Largest allowed difference between autoscaling max and min. */
export const NEON_MAX_AUTOSCALING_RANGE_CU = 8;

/**
 * Checks an endpoint's autoscaling limits as Neon does, naming the field at fault (`prefix` is the
 * request path to it, e.g. `endpoint`).
 */
export function checkComputeUnits(min: number, max: number, prefix: string): void {
  for (const [field, value] of [
    ['autoscaling_limit_min_cu', min],
    ['autoscaling_limit_max_cu', max],
  ] as const) {
    if (!NEON_COMPUTE_UNITS.includes(value)) {
      throw neonError.invalid(
        `${prefix}.${field}: ${value} is not an allowed compute size; allowed: ${NEON_COMPUTE_UNITS.join(', ')}`,
      );
    }
  }
  if (min > max) {
    throw neonError.invalid(
      `${prefix}.autoscaling_limit_min_cu (${min}) must be less than or equal to ${prefix}.autoscaling_limit_max_cu (${max})`,
    );
  }
  if (min !== max && max > NEON_MAX_AUTOSCALING_CU) {
    throw neonError.invalid(
      `${prefix}.autoscaling_limit_max_cu: autoscaling goes up to ${NEON_MAX_AUTOSCALING_CU} CU; larger computes have a fixed size (min = max)`,
    );
  }
  if (max - min > NEON_MAX_AUTOSCALING_RANGE_CU) {
    throw neonError.invalid(
      `${prefix}.autoscaling_limit_max_cu: the autoscaling range (max - min) is at most ${NEON_MAX_AUTOSCALING_RANGE_CU} CU`,
    );
  }
}

/**
 * Checks `suspend_timeout_seconds`: -1 = never suspend, 0 = Neon's default (300 s), else 60 s to
 * one week (the spec itself allows -1..604800).
 */
export function checkSuspendTimeout(value: number, prefix: string): void {
  if (value > 0 && value < 60) {
    throw neonError.invalid(
      `${prefix}.suspend_timeout_seconds: ${value} is too short; use -1 (never), 0 (default, 300 s) or 60..604800`,
    );
  }
}
