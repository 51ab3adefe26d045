import type { DefaultRateLimit } from '../../core/faults.js';

/**
 * The server-side limit a Kubernetes client meets: API priority and fairness (APF). APF limits
 * concurrency, not rate, so the sandbox's token bucket is derived from the defaults a client
 * authenticated with a kubeconfig user falls under (the `global-default` priority level):
 *
 * - seats: the server's total concurrency (`--max-requests-inflight` 400 + `--max-mutating-requests-inflight`
 *   200 = 600) times global-default's share (20 nominal shares of 245) ≈ 49 requests at once;
 * - queueing: a flow may wait in `handSize` 6 queues of `queueLengthLimit` 50 → 300 waiting requests
 *   before APF answers 429.
 *
 * So: burst 349 (49 seats + 300 queued); refill 49/s, the throughput those seats guarantee when each
 * request takes the 1 s that the Kubernetes API-call latency SLO allows. One bucket for every
 * operation, as APF classifies by user, not by verb. Override with a fault rule `rateLimit`.
 */
export const KUBERNETES_RATE_LIMIT: DefaultRateLimit = {
  bucket: 'apf-global-default',
  limit: { burst: 349, perSecond: 49 },
};

export function kubernetesRateLimit(_operation: string): DefaultRateLimit {
  return KUBERNETES_RATE_LIMIT;
}
