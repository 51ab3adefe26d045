import type { DefaultRateLimit } from '../../core/faults.js';

/**
 * Neon's published API limit: about 700 requests per minute, with bursts of up to 40 per second,
 * counted per route. Each operation (route) has its own bucket.
 */
export const NEON_RATE_LIMIT = { perSecond: 700 / 60, burst: 40 } as const;

export function neonRateLimit(operation: string): DefaultRateLimit {
  return { bucket: operation, limit: NEON_RATE_LIMIT };
}
