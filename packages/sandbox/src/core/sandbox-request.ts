import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the sandbox sees it: fully read, so every API can inspect it synchronously. */
export interface SandboxRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v2/projects/p/locations/l/services/s`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names are lower-case (node:http). */
  readonly headers: IncomingHttpHeaders;
  /** Raw body as UTF-8 text ('' when empty). */
  readonly body: string;
  /** Sandbox-wide request id, also used as the AWS `x-amzn-RequestId` / RDS `RequestId`. */
  readonly requestId: string;
}

/** What an API handler answers. A plain object or array body is sent as JSON. */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

/** Reads a header that node:http may have folded into an array. */
export function headerValue(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
