import type { SandboxApi } from '../../core/sandbox-api.js';
import { headerValue, type SandboxRequest } from '../../core/sandbox-request.js';
import { neonConsole } from './neon-console.js';
import { NeonEnv } from './neon-env.js';
import { neonError } from './neon-errors.js';
import { settleOperations } from './neon-operations.js';
import { neonRateLimit } from './neon-rate-limits.js';
import { parseNeonRequest } from './neon-request.js';
import { matchRoute } from './neon-routes.js';
import { NeonSpec } from './neon-spec.js';

const PREFIX = '/api/v2';

/**
 * The Neon API v2 (REST/JSON under `/api/v2`), requests validated against the OpenAPI spec shipped
 * in `@neondatabase/api-client`. Collections: `project` (id: project id), `branch` and `endpoint`
 * (`{project}/{id}`), `database` and `role` (`{project}/{branch}/{name}`), `operation`
 * (`{project}/{operation id}`). Operation names are the spec's operationIds (`updateProjectEndpoint`).
 */
export const neonApi = (): SandboxApi => ({
  name: 'neon',
  matches: (request) => request.path === PREFIX || request.path.startsWith(`${PREFIX}/`),
  operation: (request) => matchRoute(request.method, apiPath(request))?.route.operationId ?? 'unknown',
  handle(request, ctx) {
    // Neon checks the API key before anything else, unknown routes included.
    if (!/^Bearer\s+\S+/i.test(headerValue(request, 'authorization') ?? '')) throw neonError.unauthorized();
    const spec = NeonSpec.get();
    const path = apiPath(request);
    const matched = matchRoute(request.method, path);
    if (!matched) {
      const known = spec.match(request.method, path);
      if (known) throw neonError.notImplemented(known.operationId);
      throw neonError.notFound(`${request.method} ${request.path}`);
    }
    const operation = spec.operations.get(matched.route.operationId);
    if (!operation) throw new Error(`Neon spec has no operation ${matched.route.operationId}`);
    const call = parseNeonRequest(request, matched.params, operation, spec);
    const reply = matched.route.handler(call, new NeonEnv(ctx, matched.route.operationId));
    return { status: reply.status, body: reply.body };
  },
  errorResponse: (error, request) => ({
    status: error.status,
    body: { request_id: request.requestId, code: error.code, message: error.message, ...error.extra },
  }),
  throttleError: () => neonError.throttled(),
  serverError: () => neonError.server(),
  defaultRateLimit: neonRateLimit,
  settle: (ctx) => settleOperations(new NeonEnv(ctx)),
  console: neonConsole,
});

function apiPath(request: SandboxRequest): string {
  return request.path.slice(PREFIX.length) || '/';
}
