import type { CreateFlagBody, UpdateFlagBody, WireError, WireFlag } from './flags-wire.js';

/** An error answer of the flags API, with its HTTP status and code. Never carries the token. */
export class FlagsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code} (${status}): ${message}`);
    this.name = 'FlagsApiError';
  }
}

/** A thin HTTP client for the flags API; one per provider. */
export class FlagsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly project: string,
    private readonly token: string | undefined,
    private readonly fetchFn: typeof fetch,
  ) {}

  /** The flag, or undefined when it does not exist. */
  async get(key: string, signal?: AbortSignal): Promise<WireFlag | undefined> {
    try {
      return await this.call<WireFlag>('GET', key, undefined, {}, signal);
    } catch (error) {
      if (error instanceof FlagsApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  create(body: CreateFlagBody, idempotencyKey: string, signal?: AbortSignal): Promise<WireFlag> {
    return this.call<WireFlag>('POST', undefined, body, { 'idempotency-key': idempotencyKey }, signal);
  }

  /** Changes only the fields in `body`, if the flag is still at `version`. */
  update(key: string, body: UpdateFlagBody, version: string, signal?: AbortSignal): Promise<WireFlag> {
    return this.call<WireFlag>('PATCH', key, body, { 'if-match': `"${version}"` }, signal);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', key, undefined, {}, signal);
  }

  private async call<T>(
    method: string,
    key: string | undefined,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const path = `/flags/v1/projects/${this.project}/flags${key ? `/${encodeURIComponent(key)}` : ''}`;
    const response = await this.fetchFn(new URL(path, this.baseUrl), {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      let error: WireError['error'] = { code: 'UNKNOWN', message: text.slice(0, 200) };
      try {
        error = (JSON.parse(text) as WireError).error ?? error;
      } catch {
        // A proxy's HTML error page: keep the start of it.
      }
      throw new FlagsApiError(response.status, error.code, error.message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
