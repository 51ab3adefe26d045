import type { ApiError } from '../../core/api-error.js';
import { headerValue, type SandboxRequest, type SandboxResponse } from '../../core/sandbox-request.js';

/** The operation of an AWS JSON 1.0/1.1 request, from `X-Amz-Target: AmazonEC2ContainerServiceV20141113.UpdateService`. */
export function awsJsonOperation(request: SandboxRequest): string {
  const target = headerValue(request, 'x-amz-target');
  return target?.split('.').pop() ?? 'unknown';
}

/** A successful AWS JSON 1.1 response. */
export function awsJsonResponse(request: SandboxRequest, body: object): SandboxResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': request.requestId },
    body: JSON.stringify(body),
  };
}

/** An AWS JSON 1.1 error: `__type` in the body and `x-amzn-errortype` header, which the SDK reads first. */
export function awsJsonError(error: ApiError, request: SandboxRequest): SandboxResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': request.requestId,
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify({ __type: error.code, message: error.message, ...error.extra }),
  };
}
