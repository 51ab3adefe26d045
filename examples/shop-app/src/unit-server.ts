import { createServer, type Server } from 'node:http';
import { type RuntimeConfig, serviceLocator } from '@patchbay/core';
import { type Handlers, ServiceClient } from './service-client.js';

/** A running process: its HTTP server, its client (with the calls it made) and its address. */
export interface RunningUnit {
  config: RuntimeConfig;
  client: ServiceClient;
  server: Server;
  url: string;
}

/**
 * Starts one process: serves `POST /<service>/<method>` for the services its runtime config hosts,
 * and calls other services through a {@link ServiceClient} built on that same config.
 */
export async function startUnit(config: RuntimeConfig, handlers: Handlers, port = 0): Promise<RunningUnit> {
  const client = new ServiceClient(serviceLocator(config, {}), handlers);
  const server = createServer(async (req, res) => {
    const [, service = '', method = ''] = (req.url ?? '').split('/');
    const handler = config.services.includes(service) ? handlers[service]?.[method] : undefined;
    if (req.method !== 'POST' || !handler) {
      res.writeHead(404).end(`${service}.${method} is not served by ${config.unit}`);
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const result = await handler(JSON.parse(body || 'null'), client);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(500).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return { config, client, server, url };
}
