/** A stand-in for an AWS SDK v3 client at the `send` level: each command is answered by a handler. */
export interface FakeClient {
  send(command: { constructor: { name: string }; input: unknown }): Promise<unknown>;
  /** Every call, in order: command name without `Command`, and its input. */
  calls: { name: string; input: Record<string, unknown> }[];
  /** Calls of one operation. */
  count(name: string): number;
}

type Handler = (input: Record<string, unknown>) => unknown;

export function fakeClient(handlers: Record<string, Handler>): FakeClient {
  const calls: FakeClient['calls'] = [];
  return {
    calls,
    count: (name) => calls.filter((c) => c.name === name).length,
    async send(command) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = structuredClone(command.input) as Record<string, unknown>;
      calls.push({ name, input });
      const handler = handlers[name];
      if (!handler) throw new Error(`fake client: no handler for ${name}`);
      return structuredClone(await handler(input));
    },
  };
}

/** An error shaped like an SDK service exception. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}
