import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@patchbay/core';
import { z } from 'zod';
import { builtinApis } from './apis/registry.js';
import { ADMIN_PREFIX, handleAdmin } from './console/admin-routes.js';
import { SandboxConsole } from './console/sandbox-console.js';
import type { Counters } from './core/counters.js';
import { type FaultRule, faultRuleSchema } from './core/fault-rule.js';
import { Faults } from './core/faults.js';
import { ResourceStore } from './core/resource-store.js';
import type { SandboxApiFactory } from './core/sandbox-api.js';
import { type SandboxEndpoints, sandboxEndpoints } from './core/sandbox-endpoints.js';
import type { SandboxRequest, SandboxResponse } from './core/sandbox-request.js';
import { SandboxRuntime } from './core/sandbox-runtime.js';
import { zodIssues } from './core/zod-issues.js';

const HOST = '127.0.0.1';

const optionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    dataDir: z.string().min(1).optional(),
    faults: z.array(faultRuleSchema).optional(),
    seed: z.number().int().optional(),
    operationDelayMs: z.number().int().min(0).optional(),
    defaultRateLimits: z.boolean().optional(),
    apis: z.array(z.function()).optional(),
  })
  .strict();

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Directory that keeps the simulated cloud across restarts (one JSON file per API). @default in memory */
  dataDir?: string;
  /** Fault rules to start with (see {@link FaultRule}). @default [] */
  faults?: FaultRule[];
  /** Seed of the PRNG behind fault rates. @default 1 */
  seed?: number;
  /** How long long-running work takes (deployments, CREATING → ACTIVE, operations), in ms. @default 20 */
  operationDelayMs?: number;
  /** Whether the real APIs' published rate limits apply (token buckets; see README). @default true */
  defaultRateLimits?: boolean;
  /** The APIs to serve. @default every built-in API */
  apis?: SandboxApiFactory[];
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Client options per cloud. */
  readonly endpoints: SandboxEndpoints;
  /** Out-of-band edits, as a person in the cloud console. */
  readonly console: SandboxConsole;
  /** Fault rules, changeable while running. */
  readonly faults: Faults;
  /** Calls per API and operation. */
  readonly counters: Counters;
  /** Names of the APIs served. */
  readonly apis: readonly string[];
  /** Stops the server (in-flight requests finish; keep-alive sockets are closed). */
  close(): Promise<void>;
}

/**
 * Starts a local simulated cloud serving every API on one 127.0.0.1 port.
 *
 * @example
 * const sandbox = await startSandbox({ operationDelayMs: 10 });
 * const ecs = new ECSClient(awsClientConfig(sandbox));
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ValidationError('Sandbox options', zodIssues(parsed.error));
  const store = new ResourceStore(options.dataDir);
  const faults = new Faults(options.faults ?? [], options.seed ?? 1, options.defaultRateLimits ?? true);
  const apis = (options.apis ?? builtinApis).map((factory) => factory());
  const runtime = new SandboxRuntime(apis, store, faults, options.operationDelayMs ?? 20);
  const console = new SandboxConsole(runtime);

  const server = createServer((req, res) => {
    serve(req, res, runtime, console).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: String(error) } }));
    });
  });
  // SDK clients keep connections alive; keep the sandbox's timeout above theirs to avoid resets.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;
  runtime.baseUrl = url;

  return {
    url,
    port,
    endpoints: sandboxEndpoints(HOST, port),
    console,
    faults,
    counters: runtime.counters,
    apis: apis.map((api) => api.name),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  runtime: SandboxRuntime,
  console: SandboxConsole,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  const request: SandboxRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    requestId: runtime.newRequestId(),
  };
  const response: SandboxResponse =
    request.path === ADMIN_PREFIX || request.path.startsWith(`${ADMIN_PREFIX}/`)
      ? handleAdmin(request, runtime, console)
      : ((await runtime.dispatch(request)) ?? {
          status: 404,
          body: {
            error: { code: 'NOT_FOUND', message: `No sandbox API serves ${request.method} ${request.path}` },
          },
        });
  send(res, response);
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let body: string | Buffer = '';
  if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) body = response.body;
  else if (response.body !== undefined) {
    body = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json';
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}
