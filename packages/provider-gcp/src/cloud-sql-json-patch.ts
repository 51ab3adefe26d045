import type { protos, v1 } from '@google-cloud/sql';

type Operation = protos.google.cloud.sql.v1.IOperation;

/** HTTP status → the RPC code google-gax derives for Cloud SQL's legacy error shape. */
const RPC_CODE: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 10,
  412: 9,
  429: 8,
  501: 12,
  503: 14,
};

/**
 * `instances.patch` sent as JSON through the client's own transport and auth. Needed to remove a label:
 * `patch` merges `settings.userLabels` key by key and only a JSON `null` removes one, which the
 * protobuf-typed client cannot express (it would write the string "null"). Errors look like the client's
 * (`code` as the RPC code, `message`), so they classify the same way.
 */
export async function patchInstanceJson(
  client: v1.SqlInstancesServiceClient,
  project: string,
  instance: string,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<Operation> {
  const internals = client as unknown as {
    auth: { fetch(url: string, init: RequestInit): Promise<Response> };
    _opts: { servicePath?: string; apiEndpoint?: string; port?: number; protocol?: string };
    apiEndpoint: string;
  };
  const opts = internals._opts ?? {};
  const host = opts.servicePath ?? opts.apiEndpoint ?? internals.apiEndpoint;
  const protocol = opts.protocol ?? 'https';
  const port = opts.port && opts.port !== 443 ? `:${opts.port}` : '';
  const url = `${protocol}://${host}${port}/v1/projects/${encodeURIComponent(project)}/instances/${encodeURIComponent(instance)}`;
  const response = await internals.auth.fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = (json.error ?? {}) as { message?: string; errors?: { reason?: string }[] };
    throw Object.assign(new Error(error.message ?? `HTTP ${response.status}`), {
      code: RPC_CODE[response.status] ?? (response.status >= 500 ? 14 : 2),
      ...(error.errors?.[0]?.reason ? { reason: error.errors[0].reason } : {}),
    });
  }
  return json as Operation;
}
