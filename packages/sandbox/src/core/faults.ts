import { ValidationError } from '@patchbay/core';
import { type FaultRule, faultRuleSchema, type RateLimit } from './fault-rule.js';
import { createPrng } from './prng.js';
import { zodIssues } from './zod-issues.js';

/** The published limit an API applies to one operation: operations sharing a `bucket` share tokens. */
export interface DefaultRateLimit {
  bucket: string;
  limit: RateLimit;
}

/** What the fault layer decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  outcome: 'ok' | 'throttled' | 'faulted';
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  limit: RateLimit;
}

/**
 * Fault injection and rate limiting for every API. Random choices come from a PRNG seeded with the
 * sandbox `seed`, so a run with the same seed and the same call order makes the same choices.
 */
export class Faults {
  private list: FaultRule[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private random: () => number;

  constructor(
    rules: readonly FaultRule[] = [],
    private readonly seed = 1,
    /** Whether the APIs' published default rate limits apply (a rule's `rateLimit` always does). */
    readonly defaultRateLimits = true,
  ) {
    this.random = createPrng(seed);
    this.set(rules);
  }

  /** Replaces every rule, resetting buckets and the PRNG. Rejects malformed rules with a ValidationError. */
  set(rules: readonly FaultRule[]): void {
    this.list = rules.map((rule, index) => parseRule(rule, index));
    this.buckets.clear();
    this.random = createPrng(this.seed);
  }

  /** Adds one rule (after the existing ones). */
  add(rule: FaultRule): void {
    this.list.push(parseRule(rule, this.list.length));
    this.buckets.clear();
  }

  /** Removes every rule. */
  clear(): void {
    this.set([]);
  }

  rules(): FaultRule[] {
    return this.list.map((rule) => ({ ...rule }));
  }

  /** How long long-running work of `api`/`operation` takes: the most specific rule, else `fallback`. */
  operationDelayMs(api: string, operation: string, fallback: number): number {
    return this.setting(api, operation, 'operationDelayMs') ?? fallback;
  }

  /** @internal Decides latency and outcome for one request, consuming a rate-limit token. */
  decide(
    api: string,
    operation: string,
    defaultLimit: DefaultRateLimit | undefined,
    now: number,
  ): FaultDecision {
    const latencyMs = this.setting(api, operation, 'latencyMs') ?? 0;
    const throttleRate = this.setting(api, operation, 'throttleRate') ?? 0;
    const errorRate = this.setting(api, operation, 'errorRate') ?? 0;
    if (throttleRate > 0 && this.random() < throttleRate) return { latencyMs, outcome: 'throttled' };
    if (errorRate > 0 && this.random() < errorRate) return { latencyMs, outcome: 'faulted' };
    const limit = this.rateLimit(api, operation, defaultLimit);
    if (limit && !this.take(limit.bucket, limit.limit, now)) return { latencyMs, outcome: 'throttled' };
    return { latencyMs, outcome: 'ok' };
  }

  private rateLimit(
    api: string,
    operation: string,
    defaultLimit: DefaultRateLimit | undefined,
  ): DefaultRateLimit | undefined {
    const specific = this.list.findLast(
      (r) => r.api === api && r.operation === operation && 'rateLimit' in r,
    );
    if (specific)
      return specific.rateLimit
        ? { bucket: `rule:${api}.${operation}`, limit: specific.rateLimit }
        : undefined;
    const general = this.list.findLast((r) => r.api === api && r.operation === undefined && 'rateLimit' in r);
    if (general) return general.rateLimit ? { bucket: `rule:${api}`, limit: general.rateLimit } : undefined;
    return this.defaultRateLimits && defaultLimit
      ? { ...defaultLimit, bucket: `default:${api}.${defaultLimit.bucket}` }
      : undefined;
  }

  private take(key: string, limit: RateLimit, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.limit !== limit) {
      bucket = { tokens: limit.burst, updatedAt: now, limit };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private setting<K extends 'latencyMs' | 'throttleRate' | 'errorRate' | 'operationDelayMs'>(
    api: string,
    operation: string,
    key: K,
  ): FaultRule[K] | undefined {
    const specific = this.list.findLast(
      (r) => r.api === api && r.operation === operation && r[key] !== undefined,
    );
    if (specific) return specific[key];
    return this.list.findLast((r) => r.api === api && r.operation === undefined && r[key] !== undefined)?.[
      key
    ];
  }
}

function parseRule(rule: FaultRule, index: number): FaultRule {
  const parsed = faultRuleSchema.safeParse(rule);
  if (!parsed.success) throw new ValidationError(`Sandbox fault rule ${index}`, zodIssues(parsed.error));
  return parsed.data;
}
