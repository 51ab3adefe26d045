import { ProviderError, ValidationError } from '@patchbay/core';
import type { FaultRule } from '../core/fault-rule.js';
import type { SandboxRequest, SandboxResponse } from '../core/sandbox-request.js';
import type { SandboxRuntime } from '../core/sandbox-runtime.js';
import type { SandboxConsole } from './sandbox-console.js';

/** Prefix of the admin surface; no simulated API uses it. */
export const ADMIN_PREFIX = '/_sandbox';

/**
 * The admin surface used by the CLI and by other processes:
 *
 * - `GET  /_sandbox/health`
 * - `GET  /_sandbox/console/resources[?api=ecs]`
 * - `GET | PATCH | DELETE /_sandbox/console/resources/{api}/{kind}/{id}` (id URL-encoded; PATCH body = merge patch)
 * - `POST /_sandbox/console/resources/{api}/{kind}/{id}/tags` `{ key, value }`
 * - `POST /_sandbox/console/resources/{api}/{kind}/{id}/actions/{action}`
 * - `POST /_sandbox/console/reset[?api=ecs]`
 * - `GET  /_sandbox/counters`, `POST /_sandbox/counters/reset`
 * - `GET  /_sandbox/faults`, `PUT /_sandbox/faults` (replace all), `POST /_sandbox/faults` (add one)
 */
export function handleAdmin(
  request: SandboxRequest,
  runtime: SandboxRuntime,
  console: SandboxConsole,
): SandboxResponse {
  try {
    return route(request, runtime, console);
  } catch (error) {
    if (error instanceof ValidationError) {
      return json(400, { error: { code: 'VALIDATION', message: error.message, issues: error.issues } });
    }
    if (error instanceof ProviderError && error.kind === 'not-found') {
      return json(404, { error: { code: 'NOT_FOUND', message: error.message } });
    }
    if (error instanceof ProviderError || error instanceof SyntaxError) {
      return json(400, { error: { code: 'BAD_REQUEST', message: error.message } });
    }
    return json(500, {
      error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
    });
  }
}

function route(request: SandboxRequest, runtime: SandboxRuntime, console: SandboxConsole): SandboxResponse {
  const parts = request.path.slice(ADMIN_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method;
  const api = request.query.get('api') ?? undefined;
  const [area, sub, ...rest] = parts;

  if (area === 'health' && method === 'GET') {
    return json(200, { ok: true, apis: runtime.apis.map((a) => a.name) });
  }
  if (area === 'counters') {
    if (sub === undefined && method === 'GET') {
      return json(200, { counters: runtime.counters.details(), total: runtime.counters.total() });
    }
    if (sub === 'reset' && method === 'POST') {
      runtime.counters.reset();
      return json(200, { ok: true });
    }
  }
  if (area === 'faults' && sub === undefined) {
    if (method === 'GET') return json(200, { rules: runtime.faults.rules() });
    if (method === 'PUT') {
      const rules = parseBody(request);
      if (!Array.isArray(rules))
        throw new ProviderError('sandbox', 'faults.set', 'fatal', 'Body must be an array of fault rules');
      runtime.faults.set(rules as FaultRule[]);
      return json(200, { rules: runtime.faults.rules() });
    }
    if (method === 'POST') {
      runtime.faults.add(parseBody(request) as FaultRule);
      return json(200, { rules: runtime.faults.rules() });
    }
  }
  if (area === 'console') {
    if (sub === 'reset' && method === 'POST') {
      console.reset(api);
      return json(200, { ok: true });
    }
    if (sub === 'resources') {
      if (rest.length === 0 && method === 'GET') return json(200, { resources: console.list(api) });
      const [apiName, kind, id, action, actionName] = rest;
      if (apiName && kind && id) {
        if (action === undefined) {
          if (method === 'GET') {
            const record = console.get(apiName, kind, id);
            return record
              ? json(200, record)
              : json(404, {
                  error: {
                    code: 'NOT_FOUND',
                    message: `No ${apiName} ${kind} with id ${JSON.stringify(id)}`,
                  },
                });
          }
          if (method === 'PATCH')
            return json(200, console.edit(apiName, kind, id, objectBody(request, 'console.edit')));
          if (method === 'DELETE') {
            console.delete(apiName, kind, id);
            return json(200, { ok: true });
          }
        }
        if (action === 'tags' && actionName === undefined && method === 'POST') {
          const body = objectBody(request, 'console.tag');
          if (typeof body.key !== 'string' || typeof body.value !== 'string') {
            throw new ProviderError(
              'sandbox',
              'console.tag',
              'fatal',
              'Body must be { "key": string, "value": string }',
            );
          }
          return json(200, console.tag(apiName, kind, id, body.key, body.value));
        }
        if (action === 'actions' && actionName && method === 'POST') {
          return json(200, console.action(apiName, kind, id, actionName) ?? { ok: true });
        }
      }
    }
  }
  return json(404, {
    error: { code: 'NOT_FOUND', message: `No sandbox admin route ${method} ${request.path}` },
  });
}

function parseBody(request: SandboxRequest): unknown {
  return request.body === '' ? {} : JSON.parse(request.body);
}

function objectBody(request: SandboxRequest, operation: string): Record<string, unknown> {
  const body = parseBody(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProviderError('sandbox', operation, 'fatal', 'Body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function json(status: number, body: object): SandboxResponse {
  return { status, body };
}
