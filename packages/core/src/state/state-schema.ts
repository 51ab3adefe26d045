import { z } from 'zod';
import { StateError } from '../errors/state-error.js';
import { type EnvironmentState, STATE_FORMAT_VERSION, type StateChange } from './state-store.js';

const json: z.ZodType<unknown> = z.json();

const resourceState = z.object({
  type: z.string(),
  name: z.string(),
  physicalId: z.string(),
  attributes: z.record(z.string(), json),
  outputs: z.record(z.string(), json),
  version: z.string().optional(),
  appliedAt: z.string(),
  dependsOn: z.array(z.string()).optional(),
  deletion: z.enum(['delete', 'retain']).optional(),
  sensitive: z.array(z.string()).optional(),
  mode: z.enum(['manage', 'observe-only', 'adopt']).optional(),
});

const journalEntry = z.object({
  kind: z.literal('create-intent'),
  id: z.string(),
  type: z.string(),
  name: z.string(),
  idempotencyToken: z.string(),
  at: z.string(),
});

const environmentState = z.object({
  formatVersion: z.literal(STATE_FORMAT_VERSION),
  environment: z.string(),
  revision: z.number().int().nonnegative(),
  resources: z.record(z.string(), resourceState),
  journal: z.array(journalEntry),
  lock: z.object({ holder: z.string(), since: z.string(), expiresAt: z.string() }).optional(),
});

/**
 * Parse a state document read from storage. Anything unreadable is an error naming `source`, never a
 * silent reset: losing last-applied state would turn every console edit into a conflict or a duplicate.
 */
export function parseState(text: string, source: string): EnvironmentState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new StateError(
      'corrupt',
      `State file ${source} is not valid JSON; restore it from a backup`,
      { source },
      { cause },
    );
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > STATE_FORMAT_VERSION) {
    throw new StateError(
      'unsupported-version',
      `State file ${source} has format version ${version}, newer than this Patchbay supports (${STATE_FORMAT_VERSION}); upgrade @patchbay/core`,
      { source, formatVersion: version, supported: STATE_FORMAT_VERSION },
    );
  }
  const parsed = environmentState.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateError(
      'corrupt',
      `State file ${source} is not a Patchbay state document (${issue?.path.join('.') || '(root)'}: ${issue?.message}); restore it from a backup`,
      { source, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    );
  }
  return parsed.data as EnvironmentState;
}

const logEntry = z.object({
  revision: z.number().int().positive(),
  change: z.object({
    put: z.record(z.string(), resourceState).optional(),
    remove: z.array(z.string()).optional(),
    addIntents: z.array(journalEntry).optional(),
    clearIntents: z.array(z.string()).optional(),
  }),
});

/** One line of a FileStore log: a committed change and the revision it produced. */
export type StateLogEntry = { revision: number; change: StateChange };

/**
 * Parse a FileStore log (JSON lines). A last line without its newline is a write the crash interrupted:
 * its commit never returned, so it is dropped (`torn`). Any other bad line is corruption.
 */
export function parseStateLog(text: string, source: string): { entries: StateLogEntry[]; torn: boolean } {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const entries: StateLogEntry[] = [];
  lines.forEach((line, index) => {
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (cause) {
      throw new StateError(
        'corrupt',
        `State log ${source} line ${index + 1} is not valid JSON; restore it from a backup`,
        { source, line: index + 1 },
        { cause },
      );
    }
    const parsed = logEntry.safeParse(data);
    if (!parsed.success) {
      throw new StateError(
        'corrupt',
        `State log ${source} line ${index + 1} is not a Patchbay state change; restore it from a backup`,
        { source, line: index + 1 },
      );
    }
    entries.push(parsed.data as StateLogEntry);
  });
  return { entries, torn: tail.trim().length > 0 };
}
