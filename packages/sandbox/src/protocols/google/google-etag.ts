import { createHash } from 'node:crypto';

/**
 * An opaque etag derived from a record's store generation, so every write (API call or console
 * edit) changes it with no extra bookkeeping.
 */
export function etagOf(id: string, generation: number): string {
  return Buffer.from(`${generation}/${id}`).toString('base64url');
}

/** A stable short hash of a JSON value (label fingerprints, revision suffixes). */
export function shortHash(value: unknown, length = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : item,
  );
}

/** RFC 3339 timestamp as proto3 JSON writes `google.protobuf.Timestamp`. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}
