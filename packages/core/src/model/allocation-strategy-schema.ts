import { z } from 'zod';
import { strictObject } from './strict-object.js';

/**
 * How services are packed into processes (units).
 * - `single`: every service in one process named `app`.
 * - `per-service`: one process per service, named after it.
 * - `groups`: named groups; every service in exactly one group.
 * - `auto`: groups derived from the call graph so that services calling each other most share a
 *   process, within the limits given (see docs/allocation.md).
 */
export const allocationStrategySchema = z.discriminatedUnion('strategy', [
  strictObject({ strategy: z.literal('single') }),
  strictObject({ strategy: z.literal('per-service') }),
  strictObject({
    strategy: z.literal('groups'),
    /** Group (unit) name → service names. @example { web: ['frontend', 'auth'], jobs: ['mailer'] } */
    groups: z.record(z.string(), z.array(z.string())),
  }),
  strictObject({
    strategy: z.literal('auto'),
    /** Most services one process may host. @default 8 */
    maxServicesPerUnit: z.number().int().min(1).max(1000).default(8),
    /** Most summed vCPU (from service resource hints) one process may host. @default unlimited */
    maxCpuPerUnit: z.number().positive().optional(),
    /** Most summed memory in MiB (from service resource hints) one process may host. @default unlimited */
    maxMemoryPerUnit: z.number().int().positive().optional(),
  }),
]);

export type AllocationStrategy = z.infer<typeof allocationStrategySchema>;
export type AllocationStrategyInput = z.input<typeof allocationStrategySchema>;
