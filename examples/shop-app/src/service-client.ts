import type { ServiceLocator } from '@patchbay/core';

/** A handler of one service method: JSON in, JSON out. */
export type Handler = (input: unknown, client: ServiceClient) => Promise<unknown>;
export type Handlers = Record<string, Record<string, Handler>>;

/** One call as it happened, so a caller (or a test) can see whether it crossed a process boundary. */
export interface CallRecord {
  from: string;
  service: string;
  method: string;
  via: 'local' | 'remote';
}

/**
 * The only place app code meets the allocation: a call goes in-process when the runtime config says
 * the service is local, over HTTP to `urlOf(service)` otherwise. Handlers never know which.
 */
export class ServiceClient {
  readonly calls: CallRecord[] = [];

  constructor(
    private readonly locator: ServiceLocator,
    private readonly handlers: Handlers,
    private readonly caller = locator.config.unit,
  ) {}

  async call(service: string, method: string, input: unknown): Promise<unknown> {
    if (this.locator.isLocal(service)) {
      this.calls.push({ from: this.caller, service, method, via: 'local' });
      const handler = this.handlers[service]?.[method];
      if (!handler) throw new Error(`${service}.${method} does not exist`);
      return handler(input, this);
    }
    this.calls.push({ from: this.caller, service, method, via: 'remote' });
    const response = await fetch(`${this.locator.urlOf(service)}/${service}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? null),
    });
    if (!response.ok)
      throw new Error(`${service}.${method} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }
}
