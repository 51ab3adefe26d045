import { ProviderError } from '@patchbay/core';

/**
 * Physical ids of Neon resources below a project carry their parents, because every Neon call needs them:
 * branch `<project>/<branch>`, endpoint `<project>/<endpoint>`, role and database `<project>/<branch>/<name>`.
 * A project's physical id is its Neon id.
 */
export function joinId(...parts: string[]): string {
  return parts.join('/');
}

/** Split a physical id into exactly `count` parts, or throw a fatal error naming the expected form. */
export function splitId(physicalId: string, count: number, form: string, resource: string): string[] {
  const parts = physicalId.split('/');
  if (parts.length !== count || parts.some((p) => p.length === 0)) {
    throw new ProviderError('neon', 'observe', 'fatal', `physical id "${physicalId}" is not ${form}`, {
      resource,
    });
  }
  return parts;
}
