import { ConflictError, ProviderError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { classifyGcpError, isPassingGcpError, toProviderError } from './classify-gcp-error.js';

const googleError = (code: number | string, message = 'x', reason?: string) =>
  Object.assign(new Error(message), { code, ...(reason ? { reason } : {}) });

describe('classifyGcpError', () => {
  it('maps google-gax codes to the engine classes', () => {
    expect(classifyGcpError(googleError(8))).toBe('throttled');
    expect(classifyGcpError(googleError(429))).toBe('throttled');
    expect(classifyGcpError(googleError(14))).toBe('transient');
    expect(classifyGcpError(googleError(503))).toBe('transient');
    expect(classifyGcpError(googleError(4))).toBe('transient');
    expect(classifyGcpError(googleError(10))).toBe('conflict');
    expect(classifyGcpError(googleError(9, 'Condition does not match.'))).toBe('conflict');
    expect(classifyGcpError(googleError(5))).toBe('not-found');
    expect(classifyGcpError(googleError(3))).toBe('fatal');
    expect(classifyGcpError(googleError(7))).toBe('fatal');
    expect(classifyGcpError(googleError('ECONNRESET'))).toBe('transient');
  });

  it('one-operation-at-a-time refusals are transient, not conflicts', () => {
    expect(
      classifyGcpError(
        googleError(9, 'Cluster is running incompatible operation op-1.', 'CLUSTER_ALREADY_HAS_OPERATION'),
      ),
    ).toBe('transient');
    expect(
      classifyGcpError(
        googleError(
          10,
          'Operation failed because another operation was already in progress. Try your request after the current operation is complete.',
        ),
      ),
    ).toBe('transient');
  });

  it('keeps Patchbay errors as they are and wraps client errors with their cause', () => {
    expect(classifyGcpError(new ConflictError('db/main', 'tier', 'a', 'b'))).toBe('conflict');
    expect(classifyGcpError(new ProviderError('gcp', 'x', 'not-found', 'gone'))).toBe('not-found');
    const cause = googleError(8, 'Quota exceeded', 'RATE_LIMIT_EXCEEDED');
    const wrapped = toProviderError(cause, 'UpdateService', 'compute/api') as ProviderError;
    expect(wrapped).toBeInstanceOf(ProviderError);
    expect(wrapped.kind).toBe('throttled');
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.message).toContain('RATE_LIMIT_EXCEEDED');
  });
});

describe('isPassingGcpError', () => {
  it('lets a poll wait out throttled and transient errors only', () => {
    expect(isPassingGcpError(googleError(8))).toBe(true);
    expect(isPassingGcpError(googleError(14))).toBe(true);
    expect(isPassingGcpError(googleError('ECONNRESET'))).toBe(true);
    expect(isPassingGcpError(googleError(5))).toBe(false);
    expect(isPassingGcpError(googleError(10))).toBe(false);
    expect(isPassingGcpError(googleError(7))).toBe(false);
    expect(isPassingGcpError(new ProviderError('gcp', 'CreateService', 'fatal', 'operation failed'))).toBe(
      false,
    );
  });
});
