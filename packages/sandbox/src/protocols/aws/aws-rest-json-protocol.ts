import type { ApiError } from '../../core/api-error.js';
import type { SandboxRequest, SandboxResponse } from '../../core/sandbox-request.js';

/** A route of a REST JSON API: method, path pattern with `{param}` segments, operation name. */
export interface RestRoute {
  method: string;
  path: string;
  operation: string;
}

/** Matches a request against routes; path parameters are URL-decoded (EKS tags put an ARN in the path). */
export function matchRoute(
  routes: readonly RestRoute[],
  request: SandboxRequest,
): { route: RestRoute; params: Record<string, string> } | undefined {
  const segments = request.path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, index) => {
      const segment = segments[index]!;
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

export function restJsonResponse(request: SandboxRequest, body: object, status = 200): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': request.requestId },
    body: JSON.stringify(body),
  };
}

/** AWS REST JSON error: `x-amzn-errortype` header (read first by the SDK) and `{ message, …extra }`. */
export function restJsonError(error: ApiError, request: SandboxRequest): SandboxResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': request.requestId,
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify({ message: error.message, ...error.extra }),
  };
}
