import {
  type ChangeRequest,
  type Engine,
  PermissionError,
  StateError,
  ValidationError,
  verifyAuditChain,
} from '@patchbay/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { service, workflowFixture } from './support/workflow-fixture.js';

const ENVS = ['prod', 'dev'] as const;

// Per operation, mostly actors who may do it (authors who may also approve: carol, root), and some who may not.
const proposer = fc.constantFrom('alice', 'carol', 'root', 'bob', 'mallory');
const approver = fc.constantFrom('bob', 'dave', 'carol', 'root', 'alice', 'vic');
const applier = fc.constantFrom('alice', 'carol', 'root', 'dave');
// Mostly the latest requests, so that sequences reach approvals and applies.
const pick = fc.nat({ max: 2 });
const operation = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('propose' as const),
      actor: proposer,
      env: fc.constantFrom(...ENVS),
      replicas: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('approve' as const), actor: approver, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), actor: approver, pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('apply' as const), actor: applier, pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      env: fc.constantFrom(...ENVS),
      replicas: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

describe('workflow properties', () => {
  it('any sequence of allowed and denied operations keeps every chain valid and never applies an unapproved manual change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 10, maxLength: 30 }),
        fc.constantFrom(1, 2),
        async (ops, requiredApprovals) => {
          const f = workflowFixture({ requiredApprovals });
          // Count the engine applies each workflow call causes.
          const applies = { prod: 0, dev: 0 };
          for (const env of ENVS) {
            const engine = f.engines[env] as Engine & { apply: Engine['apply'] };
            const original = engine.apply.bind(engine);
            (engine as { apply: Engine['apply'] }).apply = (plan, options) => {
              applies[env]++;
              return original(plan, options);
            };
          }
          const ids: string[] = [];
          const denials = { prod: 0, dev: 0 };
          for (const op of ops) {
            const before = { ...applies };
            const target =
              op.kind === 'propose' || op.kind === 'edit'
                ? undefined
                : ids.length
                  ? ids[op.pick % ids.length]
                  : 'cr-none';
            const snapshot: ChangeRequest | undefined = target ? await f.store.getRequest(target) : undefined;
            try {
              if (op.kind === 'propose') {
                const cr = await f.workflow.propose({
                  environment: op.env,
                  desired: [service(op.env, op.replicas)],
                  author: op.actor,
                  title: `${op.actor} → ${op.replicas}`,
                });
                ids.push(cr.id);
              } else if (op.kind === 'approve') await f.workflow.approve(target as string, op.actor);
              else if (op.kind === 'reject') await f.workflow.reject(target as string, op.actor, 'no');
              else if (op.kind === 'apply') await f.workflow.apply(target as string, op.actor);
              else if (f.cloud.get('memory.service', `${op.env}-svc`)) {
                f.cloud.edit('memory.service', `${op.env}-svc`, { replicas: op.replicas });
              }
            } catch (error) {
              if (error instanceof PermissionError) denials[error.environment as (typeof ENVS)[number]]++;
              // Only the workflow's typed refusals are expected.
              if (
                !(
                  error instanceof PermissionError ||
                  error instanceof ValidationError ||
                  error instanceof StateError
                )
              ) {
                throw error;
              }
            }
            const applied = ENVS.filter((env) => applies[env] !== before[env]);
            if (applied.length) {
              // Only an apply call applies, and only a request approved as its policy demands.
              expect(op.kind).toBe('apply');
              expect(applied).toEqual([snapshot?.environment]);
              expect(snapshot?.status).toBe('approved');
              if (snapshot?.approval === 'manual') {
                const others = new Set(
                  snapshot.approvals.map((a) => a.approver).filter((a) => a !== snapshot.author),
                );
                expect(others.size).toBeGreaterThanOrEqual(requiredApprovals);
              } else expect(snapshot?.environment).toBe('dev');
            }
          }
          for (const env of ENVS) {
            const entries = await f.store.readAudit(env);
            expect(verifyAuditChain(env, entries)).toEqual({ ok: true, entries: entries.length });
            expect(entries.filter((e) => e.event === 'denied')).toHaveLength(denials[env]);
            // Every applied production request was approved before, by enough people other than its author.
            for (const [i, entry] of entries.entries()) {
              if (entry.event !== 'applied' || env !== 'prod') continue;
              const request = (await f.store.getRequest(entry.changeRequest as string)) as ChangeRequest;
              const approvers = new Set(
                entries
                  .slice(0, i)
                  .filter((e) => e.event === 'approved' && e.changeRequest === request.id)
                  .map((e) => e.actor),
              );
              approvers.delete(request.author);
              expect(approvers.size).toBeGreaterThanOrEqual(requiredApprovals);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
