import { ApiException } from '@kubernetes/client-node';
import { ConflictError, ProviderError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { classifyK8sError, toProviderError } from './classify-k8s-error.js';

const api = (code: number, reason: string, message: string) =>
  new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: 'Status', code, reason, message }), {});

describe('classifyK8sError', () => {
  it.each([
    [429, 'throttled'],
    [500, 'transient'],
    [503, 'transient'],
    [409, 'conflict'],
    [404, 'not-found'],
    [422, 'fatal'],
    [400, 'fatal'],
    [403, 'fatal'],
  ] as const)('HTTP %i → %s', (code, kind) => {
    expect(classifyK8sError(api(code, 'X', 'y'))).toBe(kind);
  });

  it('network failures are transient, unknown errors fatal, Patchbay errors keep their kind', () => {
    expect(classifyK8sError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyK8sError(Object.assign(new Error('f'), { cause: { code: 'ECONNRESET' } }))).toBe(
      'transient',
    );
    expect(classifyK8sError(Object.assign(new Error('request failed'), { type: 'system' }))).toBe(
      'transient',
    );
    expect(classifyK8sError(new Error('?'))).toBe('fatal');
    expect(classifyK8sError(new ConflictError('ns/api', 'image', 'a', 'b'))).toBe('conflict');
    expect(classifyK8sError(new ProviderError('k8s', 'x', 'throttled', 'm'))).toBe('throttled');
  });

  it("a 422 becomes a fatal ProviderError with the API's message, not the request", () => {
    const error = toProviderError(
      api(422, 'Invalid', 'Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1'),
      'patchNamespacedDeployment',
      'prod/api',
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'fatal', resource: 'prod/api' });
    expect(error.message).toBe(
      'k8s patchNamespacedDeployment on prod/api failed: 422 Invalid: Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1',
    );
  });
});
