import type { JsonValue } from '@patchbay/core';

/** The Kubernetes minor a GKE version names: `1.31.5-gke.1023000` and `1.31` → `1.31`. */
export function kubernetesMinor(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const m = /^(\d+)\.(\d+)(?:[.-].*)?$/.exec(value.trim());
  return m ? `${m[1]}.${m[2]}` : value;
}

/** How many minors `to` is above `from` (negative for a downgrade), or undefined if either is not a version. */
export function minorSteps(from: JsonValue | undefined, to: JsonValue | undefined): number | undefined {
  const a = typeof from === 'string' ? /^(\d+)\.(\d+)/.exec(from) : null;
  const b = typeof to === 'string' ? /^(\d+)\.(\d+)/.exec(to) : null;
  if (!a || !b || a[1] !== b[1]) return undefined;
  return Number(b[2]) - Number(a[2]);
}
