/**
 * What the Google Node clients (google-gax 5, REST `fallback` transport) need from an auth client:
 * `getRequestHeaders()` is how gax recognises one, `fetch()` carries every request, `request()` is
 * used by a few helpers. The clients also set `useJWTAccessWithScope`, `defaultServicePath` and
 * `defaultScopes` on it, so it is a plain mutable object.
 */
export interface SandboxAuthClient {
  getRequestHeaders(): Promise<Headers>;
  fetch(url: string | URL, init?: RequestInit): Promise<Response>;
  request(options: {
    url: string;
    method?: string;
    data?: unknown;
    headers?: Record<string, string>;
  }): Promise<{
    data: unknown;
    status: number;
    headers: Headers;
  }>;
  getProjectId(): Promise<string>;
  [setting: string]: unknown;
}

/**
 * Options for `v2.ServicesClient`, `v1.SqlInstancesServiceClient`, `v1.ClusterManagerClient`, …
 * (a type alias, not an interface, so it fits the clients' index-signature `ClientOptions`).
 */
export type GoogleClientOptions = {
  apiEndpoint: string;
  port: number;
  protocol: 'http';
  fallback: true;
  /**
   * A {@link SandboxAuthClient}. Typed loosely because the clients declare google-auth-library's
   * `AuthClient`, which the sandbox does not depend on; the stub implements what gax's REST transport calls.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  authClient: any;
};

/**
 * Client options for any Google Cloud Node client talking to the sandbox over REST, with a stub auth
 * client (no credentials are needed or checked).
 *
 * @example
 * const run = new v2.ServicesClient(googleClientOptions(sandbox));
 * const sql = new v1.SqlInstancesServiceClient(googleClientOptions(sandbox));
 */
export function googleClientOptions(sandbox: { port: number }): GoogleClientOptions {
  return {
    apiEndpoint: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    fallback: true,
    authClient: sandboxAuthClient(),
  };
}

function sandboxAuthClient(): SandboxAuthClient {
  const headers = () => new Headers({ authorization: 'Bearer sandbox' });
  return {
    getRequestHeaders: async () => headers(),
    // gax passes gaxios-style extras (agent, responseType); global fetch only needs these four.
    fetch: (url, init = {}) => {
      const merged = new Headers(init.headers);
      merged.set('authorization', 'Bearer sandbox');
      return fetch(url, { method: init.method, headers: merged, body: init.body, signal: init.signal });
    },
    request: async ({ url, method = 'GET', data, headers: extra = {} }) => {
      const response = await fetch(url, {
        method,
        headers: { ...Object.fromEntries(headers()), 'content-type': 'application/json', ...extra },
        body: data === undefined ? undefined : JSON.stringify(data),
      });
      const text = await response.text();
      return {
        data: text ? JSON.parse(text) : undefined,
        status: response.status,
        headers: response.headers,
      };
    },
    getProjectId: async () => 'sandbox',
  };
}
