import type { CallCount } from '../core/counters.js';
import type { FaultRule } from '../core/fault-rule.js';
import type { StoredRecord } from '../core/resource-store.js';
import type { ConsoleEntry } from './sandbox-console.js';

/**
 * Talks to a running sandbox's admin surface from another process (the CLI, a benchmark, a test that
 * spawned the sandbox). Mirrors `sandbox.console`, `sandbox.counters` and `sandbox.faults`, asynchronously.
 *
 * @example
 * const client = new SandboxClient('http://127.0.0.1:4566');
 * await client.edit('ecs', 'service', 'prod/api', { desiredCount: 5 });
 */
export class SandboxClient {
  constructor(readonly url: string) {}

  health(): Promise<{ ok: boolean; apis: string[] }> {
    return this.call('GET', '/_sandbox/health');
  }

  async list(api?: string): Promise<ConsoleEntry[]> {
    const query = api ? `?api=${encodeURIComponent(api)}` : '';
    return (await this.call<{ resources: ConsoleEntry[] }>('GET', `/_sandbox/console/resources${query}`))
      .resources;
  }

  async get(api: string, kind: string, id: string): Promise<StoredRecord | undefined> {
    const response = await fetch(this.url + resourcePath(api, kind, id));
    if (response.status === 404) return undefined;
    return (await parse(response)) as StoredRecord;
  }

  edit(api: string, kind: string, id: string, patch: Record<string, unknown>): Promise<StoredRecord> {
    return this.call('PATCH', resourcePath(api, kind, id), patch);
  }

  tag(api: string, kind: string, id: string, key: string, value: string): Promise<StoredRecord> {
    return this.call('POST', `${resourcePath(api, kind, id)}/tags`, { key, value });
  }

  async delete(api: string, kind: string, id: string): Promise<void> {
    await this.call('DELETE', resourcePath(api, kind, id));
  }

  action(api: string, kind: string, id: string, action: string): Promise<StoredRecord> {
    return this.call('POST', `${resourcePath(api, kind, id)}/actions/${encodeURIComponent(action)}`);
  }

  async reset(api?: string): Promise<void> {
    await this.call('POST', `/_sandbox/console/reset${api ? `?api=${encodeURIComponent(api)}` : ''}`);
  }

  counters(): Promise<{ counters: Record<string, CallCount>; total: number }> {
    return this.call('GET', '/_sandbox/counters');
  }

  async resetCounters(): Promise<void> {
    await this.call('POST', '/_sandbox/counters/reset');
  }

  async faults(): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('GET', '/_sandbox/faults')).rules;
  }

  async setFaults(rules: FaultRule[]): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('PUT', '/_sandbox/faults', rules)).rules;
  }

  async addFault(rule: FaultRule): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('POST', '/_sandbox/faults', rule)).rules;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await parse(response)) as T;
  }
}

function resourcePath(api: string, kind: string, id: string): string {
  return `/_sandbox/console/resources/${[api, kind, id].map(encodeURIComponent).join('/')}`;
}

async function parse(response: Response): Promise<unknown> {
  const body = (await response.json()) as { error?: { code: string; message: string } };
  if (!response.ok) {
    throw new Error(
      `Sandbox answered ${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? ''}`.trim(),
    );
  }
  return body;
}
