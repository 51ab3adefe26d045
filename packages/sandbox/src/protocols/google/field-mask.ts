import { googleError } from './google-error.js';

/**
 * Applies an update mask (`labels,template.containers`) to `target`: each path takes its value from
 * `source`, or is cleared when `source` lacks it (Google's semantics for masked updates).
 * Paths must start with one of `allowed` top-level fields, else INVALID_ARGUMENT.
 */
export function applyFieldMask(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  mask: string,
  allowed: readonly string[],
): void {
  const paths = mask
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean);
  for (const path of paths) {
    const segments = path.split('.');
    if (path === '*') {
      for (const field of allowed) copy(target, source, [field]);
      continue;
    }
    if (!allowed.includes(segments[0] as string)) {
      throw googleError(
        'INVALID_ARGUMENT',
        `Invalid update mask path '${path}'; updatable fields: ${allowed.join(', ')}.`,
      );
    }
    copy(target, source, segments);
  }
}

function copy(target: Record<string, unknown>, source: Record<string, unknown>, segments: string[]): void {
  let from: unknown = source;
  let to: Record<string, unknown> = target;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    from = from && typeof from === 'object' ? (from as Record<string, unknown>)[segment] : undefined;
    if (last) {
      if (from === undefined) delete to[segment];
      else to[segment] = structuredClone(from);
      return;
    }
    const next = to[segment];
    if (!next || typeof next !== 'object') to[segment] = {};
    to = to[segment] as Record<string, unknown>;
  }
}
