import { z } from 'zod';

/** Token bucket: `burst` tokens at most, refilled at `perSecond`. */
export const rateLimitSchema = z
  .object({
    perSecond: z.number().positive(),
    burst: z.number().int().positive(),
  })
  .strict();

export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * A fault to inject. A rule with `operation` applies to that operation only; without, to every
 * operation of `api`. For each setting the most specific rule that sets it wins.
 *
 * @example
 * { api: 'ecs', operation: 'UpdateService', throttleRate: 0.5 }
 * { api: 'rds', latencyMs: 50, operationDelayMs: 200 }
 */
export const faultRuleSchema = z
  .object({
    /** API name: `ecs`, `rds`, `eks`, `cloudrun`, `cloudsql`, `gke`, `kubernetes`, `neon`. */
    api: z.string().min(1),
    /** Operation name as counted (`UpdateService`, `ModifyDBInstance`, …); omit for every operation. */
    operation: z.string().min(1).optional(),
    /** Added latency before the request is handled, in ms. @default 0 */
    latencyMs: z.number().int().min(0).optional(),
    /** Probability (0–1) of answering with the API's own throttling error. @default 0 */
    throttleRate: z.number().min(0).max(1).optional(),
    /** Probability (0–1) of answering with the API's own 5xx error. @default 0 */
    errorRate: z.number().min(0).max(1).optional(),
    /** How long long-running work (deployments, status transitions, operations) takes, in ms. */
    operationDelayMs: z.number().int().min(0).optional(),
    /** Token bucket replacing the API's default published limit; `null` disables rate limiting. */
    rateLimit: rateLimitSchema.nullable().optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;
