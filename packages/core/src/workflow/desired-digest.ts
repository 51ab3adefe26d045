import { createHash } from 'node:crypto';
import { hashSensitive } from '../engine/sensitive-hash.js';
import type { JsonValue, ResourceSpec } from '../resources/resource-spec.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A fingerprint of desired resources that holds no secret: sensitive attributes enter it as their
 * `sha256:` hash (as in state). Catches a secret rotated after approval, which the redacted plan
 * cannot show. Map-key sensitive paths (`environment.TOKEN`) hash the whole map.
 */
export function desiredDigest(desired: readonly ResourceSpec[]): string {
  const safe = desired.map((spec) => {
    if (!spec.sensitive?.length) return spec;
    const attributes = { ...spec.attributes } as Record<string, unknown>;
    for (const path of spec.sensitive) {
      const base = path in attributes ? path : path.split('.')[0];
      if (base !== undefined && attributes[base] !== undefined) {
        attributes[base] = hashSensitive(attributes[base] as JsonValue);
      }
    }
    return { ...spec, attributes };
  });
  return createHash('sha256').update(canonicalJson(safe)).digest('hex');
}

/** Whether any resource has a sensitive attribute (its desired resources are then never stored). */
export function hasSensitive(desired: readonly ResourceSpec[]): boolean {
  return desired.some((spec) => (spec.sensitive?.length ?? 0) > 0);
}
