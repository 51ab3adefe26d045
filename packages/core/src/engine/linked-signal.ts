import { setMaxListeners } from 'node:events';

/**
 * An internal signal that follows the caller's. p-queue adds one abort listener per queued call, so the
 * internal signal allows any number (a 1,000-resource apply queues thousands); the caller's signal gets one.
 */
export function linkedSignal(outer: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (!outer) return { signal: controller.signal, dispose: () => {} };
  if (outer.aborted) controller.abort(outer.reason);
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, dispose: () => outer.removeEventListener('abort', onAbort) };
}
