#!/usr/bin/env node
/**
 * @module patchbay-sandbox — start a sandbox, or drive a running one's console, counters and faults.
 */
import { parseArgs } from 'node:util';
import { SandboxClient } from './console/sandbox-client.js';
import { startSandbox } from './start-sandbox.js';

const USAGE = `Usage:
  patchbay-sandbox start [--port 0] [--data-dir DIR] [--operation-delay-ms 20] [--seed 1] [--no-rate-limits]
  patchbay-sandbox console list [--api ecs]                          --url URL
  patchbay-sandbox console get <api> <kind> <id>                     --url URL
  patchbay-sandbox console edit <api> <kind> <id> '<json merge patch>' --url URL
  patchbay-sandbox console tag <api> <kind> <id> <key> <value>       --url URL
  patchbay-sandbox console delete <api> <kind> <id>                  --url URL
  patchbay-sandbox console action <api> <kind> <id> <action>         --url URL
  patchbay-sandbox console reset [--api ecs]                         --url URL
  patchbay-sandbox counters [--reset]                                --url URL
  patchbay-sandbox faults list | set '<json array>' | add '<json rule>' | clear --url URL
--url defaults to $PATCHBAY_SANDBOX_URL.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'operation-delay-ms': { type: 'string' },
      seed: { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
      url: { type: 'string' },
      api: { type: 'string' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 1 : 0;
  }

  if (command === 'start') {
    const sandbox = await startSandbox({
      port: integer(values.port, '--port') ?? 0,
      dataDir: values['data-dir'],
      operationDelayMs: integer(values['operation-delay-ms'], '--operation-delay-ms'),
      seed: integer(values.seed, '--seed'),
      defaultRateLimits: !values['no-rate-limits'],
    });
    // First line is machine-readable so a parent process can read the URL.
    process.stdout.write(`${JSON.stringify({ url: sandbox.url, port: sandbox.port, apis: sandbox.apis })}\n`);
    process.stdout.write(
      `patchbay-sandbox listening on ${sandbox.url}${values['data-dir'] ? ` (data: ${values['data-dir']})` : ''}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.close();
    return 0;
  }

  const url = values.url ?? process.env.PATCHBAY_SANDBOX_URL;
  if (!url)
    throw new Error('--url is required (or set PATCHBAY_SANDBOX_URL), e.g. --url http://127.0.0.1:4566');
  const client = new SandboxClient(url.replace(/\/$/, ''));

  if (command === 'console') {
    const [api, kind, id, ...args] = rest;
    switch (sub) {
      case 'list':
        return print(await client.list(values.api));
      case 'get': {
        const record = await client.get(...need(api, kind, id));
        if (!record) throw new Error(`No ${api} ${kind} with id ${id}`);
        return print(record);
      }
      case 'edit':
        return print(
          await client.edit(
            ...need(api, kind, id),
            jsonArgument(args[0], 'merge patch') as Record<string, unknown>,
          ),
        );
      case 'tag': {
        const [key, value] = args;
        if (key === undefined || value === undefined) throw new Error('console tag needs <key> <value>');
        return print(await client.tag(...need(api, kind, id), key, value));
      }
      case 'delete':
        await client.delete(...need(api, kind, id));
        return print({ ok: true });
      case 'action': {
        if (args[0] === undefined) throw new Error('console action needs <action>, e.g. apply-pending');
        return print(await client.action(...need(api, kind, id), args[0]));
      }
      case 'reset':
        await client.reset(values.api);
        return print({ ok: true });
      default:
        throw new Error(
          `Unknown console command ${JSON.stringify(sub)}; allowed: list, get, edit, tag, delete, action, reset`,
        );
    }
  }
  if (command === 'counters') {
    if (values.reset) {
      await client.resetCounters();
      return print({ ok: true });
    }
    return print(await client.counters());
  }
  if (command === 'faults') {
    switch (sub) {
      case 'list':
      case undefined:
        return print(await client.faults());
      case 'set':
        return print(await client.setFaults(jsonArgument(rest[0], 'fault rule array') as never));
      case 'add':
        return print(await client.addFault(jsonArgument(rest[0], 'fault rule') as never));
      case 'clear':
        return print(await client.setFaults([]));
      default:
        throw new Error(`Unknown faults command ${JSON.stringify(sub)}; allowed: list, set, add, clear`);
    }
  }
  throw new Error(`Unknown command ${JSON.stringify(command)}; allowed: start, console, counters, faults`);
}

function need(api?: string, kind?: string, id?: string): [string, string, string] {
  if (!api || !kind || !id) throw new Error('Expected <api> <kind> <id>, e.g. ecs service prod/api');
  return [api, kind, id];
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${flag} must be a non-negative integer; received ${value}`);
  return parsed;
}

function jsonArgument(value: string | undefined, what: string): unknown {
  if (value === undefined) throw new Error(`Expected a JSON ${what} argument`);
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`The ${what} argument is not valid JSON: ${value}`);
  }
}

function print(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`patchbay-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
