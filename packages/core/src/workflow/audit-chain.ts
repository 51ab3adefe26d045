import { createHash } from 'node:crypto';
import type { JsonValue } from '../resources/resource-spec.js';
import { canonicalJson } from './canonical-json.js';

/** What the workflow records. `denied` is a refused permission; `lock-released` a forced unlock. */
export type AuditEvent =
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'superseded'
  | 'applied'
  | 'failed'
  | 'denied'
  | 'lock-released';

/** An audit record before it is chained. Holds no secret: plan data in it is already redacted. */
export interface AuditRecord {
  event: AuditEvent;
  /** Who did it (or was refused); `policy:automatic` for automatic approvals. */
  actor: string;
  /** ISO time. */
  at: string;
  changeRequest?: string;
  details: Record<string, JsonValue>;
}

/** One entry of an environment's append-only audit history. */
export interface AuditEntry extends AuditRecord {
  environment: string;
  /** 1, 2, 3, … in append order. */
  sequence: number;
  /** `hash` of the entry before (64 zeros for the first). */
  previousHash: string;
  /** sha256 (hex) of `previousHash` followed by the canonical JSON of every other field of this entry. */
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The entry that follows `previous` (or starts the history) for `record`. */
export function chainAuditEntry(
  environment: string,
  previous: AuditEntry | undefined,
  record: AuditRecord,
): AuditEntry {
  const body = {
    environment,
    sequence: (previous?.sequence ?? 0) + 1,
    previousHash: previous?.hash ?? GENESIS_HASH,
    event: record.event,
    actor: record.actor,
    at: record.at,
    ...(record.changeRequest !== undefined ? { changeRequest: record.changeRequest } : {}),
    details: record.details,
  };
  return { ...body, hash: auditHash(body) };
}

function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { previousHash, ...rest } = entry;
  return createHash('sha256').update(previousHash).update(canonicalJson(rest)).digest('hex');
}

/** Why an entry fails verification. */
export type AuditProblem =
  | 'hash-mismatch' // its content no longer matches its hash: edited
  | 'broken-link' // its previousHash is not the hash of the entry before: one removed or reordered
  | 'sequence-gap' // its sequence is not the one expected at that position
  | 'wrong-environment'
  | 'head-mismatch' // the history ends before (or differs from) a head saved earlier: truncated
  | 'unreadable'; // the store could not parse it

export interface AuditVerification {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The first bad entry, when not ok. */
  firstBad?: { index: number; sequence?: number; problem: AuditProblem; message: string };
}

/** Where a history ended when it was last known good; keep it elsewhere to detect a truncated tail. */
export interface AuditHead {
  sequence: number;
  hash: string;
}

/**
 * Check an environment's history: every entry's hash, its link to the entry before, and its sequence.
 * Any edit, removal or reordering is found and the first bad entry named. A removed tail leaves a valid
 * chain: pass a `head` saved earlier (or let the workflow cross-check its change requests) to detect it.
 */
export function verifyAuditChain(
  environment: string,
  entries: readonly AuditEntry[],
  head?: AuditHead,
): AuditVerification {
  let previous: AuditEntry | undefined;
  for (const [index, entry] of entries.entries()) {
    const bad = (problem: AuditProblem, message: string): AuditVerification => ({
      ok: false,
      entries: entries.length,
      firstBad: {
        index,
        sequence: entry?.sequence,
        problem,
        message: `audit entry ${index + 1}: ${message}`,
      },
    });
    if (typeof entry !== 'object' || entry === null) return bad('unreadable', 'is not an entry');
    const expectedSequence = (previous?.sequence ?? 0) + 1;
    const expectedPrevious = previous?.hash ?? GENESIS_HASH;
    if (entry.environment !== environment) {
      return bad('wrong-environment', `belongs to ${String(entry.environment)}, not ${environment}`);
    }
    const { hash, ...body } = entry;
    if (auditHash(body) !== hash) return bad('hash-mismatch', `content does not match its hash (edited)`);
    if (entry.previousHash !== expectedPrevious) {
      return bad('broken-link', `does not follow entry ${index} (an entry was removed or reordered)`);
    }
    if (entry.sequence !== expectedSequence) {
      return bad('sequence-gap', `has sequence ${entry.sequence}, expected ${expectedSequence}`);
    }
    previous = entry;
  }
  if (head && head.sequence > 0) {
    const at = entries[head.sequence - 1];
    if (!at || at.hash !== head.hash) {
      return {
        ok: false,
        entries: entries.length,
        firstBad: {
          index: Math.min(head.sequence - 1, entries.length),
          sequence: head.sequence,
          problem: 'head-mismatch',
          message: at
            ? `audit entry ${head.sequence} differs from the saved head`
            : `the history ends at entry ${entries.length}, but a head at entry ${head.sequence} was saved (truncated)`,
        },
      };
    }
  }
  return { ok: true, entries: entries.length };
}
