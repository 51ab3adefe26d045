import { ConflictError, ProviderError, ValidationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, classifyAwsError, toProviderError } from './classify-aws-error.js';

const sdkError = (name: string, status = 400, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('classifyAwsError', () => {
  it.each([
    ['ThrottlingException', 'throttled'],
    ['Throttling', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['InvalidDBInstanceStateFault', 'transient'],
    ['ResourceInUseException', 'transient'],
    ['ServerException', 'transient'],
    ['DBInstanceNotFoundFault', 'not-found'],
    ['ResourceNotFoundException', 'not-found'],
    ['ClusterNotFoundException', 'not-found'],
    ['ServiceNotFoundException', 'not-found'],
    ['DBInstanceAlreadyExistsFault', 'conflict'],
    ['AccessDeniedException', 'fatal'],
    ['InvalidParameterException', 'fatal'],
    ['InvalidParameterCombination', 'fatal'],
  ] as const)('%s → %s', (name, kind) => {
    expect(classifyAwsError(sdkError(name))).toBe(kind);
  });

  it('falls back to the HTTP status and the SDK retry hints', () => {
    expect(classifyAwsError(sdkError('Weird', 429))).toBe('throttled');
    expect(classifyAwsError(sdkError('Weird', 503))).toBe('transient');
    expect(classifyAwsError(sdkError('Weird', 404))).toBe('not-found');
    expect(classifyAwsError(sdkError('Weird', 400, { $retryable: { throttling: true } }))).toBe('throttled');
    expect(classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'transient',
    );
    expect(classifyAwsError('???')).toBe('fatal');
  });

  it("keeps Patchbay's own errors' meaning", () => {
    expect(classifyAwsError(new ConflictError('r', 'a', 1, 2))).toBe('conflict');
    expect(classifyAwsError(new ProviderError('aws', 'op', 'not-found', 'gone'))).toBe('not-found');
    expect(classifyAwsError(new ValidationError('x', []))).toBe('fatal');
  });

  it('reads RDS codes with or without the Fault suffix', () => {
    expect(awsErrorCode(sdkError('DBInstanceNotFoundFault'))).toBe('DBInstanceNotFound');
    expect(awsErrorCode({ Code: 'DBInstanceNotFound' })).toBe('DBInstanceNotFound');
  });
});

describe('toProviderError', () => {
  it('wraps an SDK error with its kind, operation, resource and the AWS code in the message, keeping cause', () => {
    const cause = sdkError('InvalidDBInstanceStateFault');
    const error = toProviderError(cause, 'ModifyDBInstance', 'db/main') as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: 'transient',
      operation: 'ModifyDBInstance',
      resource: 'db/main',
      cause,
    });
    expect(error.message).toContain('InvalidDBInstanceState');
  });
});
