import {
  accessPolicy,
  createEngine,
  createWorkflow,
  MemoryStore,
  memoryProvider,
  PermissionError,
  ProviderError,
  StateError,
  ValidationError,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { service, workflowFixture } from './support/workflow-fixture.js';

const events = (audit: { event: string }[]) => audit.map((e) => e.event);

describe('workflow: change request lifecycle', () => {
  it('manual environment: proposed → approved → applied, audited and announced in order', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'Add svc',
    });
    expect(cr).toMatchObject({
      id: 'cr-1',
      status: 'proposed',
      approval: 'manual',
      requiredApprovals: 1,
      approvals: [],
    });
    expect(cr.plan.summary.create).toBe(1);
    expect(cr.plan.actions[0]).toMatchObject({ id: 'svc', kind: 'create' });
    expect(f.cloud.calls).toBe(1); // the plan's lookup by name, no write

    // Not approved yet: refused, nothing written.
    await expect(f.workflow.apply(cr.id, 'alice')).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: ['status'], received: 'proposed', allowed: ['approved'] }],
    });
    expect(f.cloud.get('memory.service', 'prod-svc')).toBeUndefined();

    const approved = await f.workflow.approve(cr.id, 'bob');
    expect(approved.status).toBe('approved');
    expect(approved.approvals.map((a) => a.approver)).toEqual(['bob']);

    const { request, result } = await f.workflow.apply(cr.id, 'alice');
    expect(result.ok).toBe(true);
    expect(request).toMatchObject({
      status: 'applied',
      appliedBy: 'alice',
      result: { ok: true, failed: [] },
    });
    expect(request.result?.summary.created).toBe(1);
    expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.replicas).toBe(2);

    const audit = await f.workflow.audit('prod', 'vic');
    expect(events(audit)).toEqual(['proposed', 'approved', 'applied']);
    expect(audit.map((e) => e.actor)).toEqual(['alice', 'bob', 'alice']);
    expect(audit[2]?.details).toMatchObject({ ok: true, summary: { created: 1 } });
    expect(await f.workflow.verifyAudit('prod', 'vic')).toEqual({ ok: true, entries: 3 });
    expect(f.log.map((e) => e.name)).toEqual(['change:proposed', 'change:approved', 'change:applied']);
    expect(await f.workflow.get(cr.id, 'vic')).toEqual(request);

    // Applied is final.
    await expect(f.workflow.apply(cr.id, 'alice')).rejects.toBeInstanceOf(ValidationError);
    await expect(f.workflow.reject(cr.id, 'bob', 'late')).rejects.toBeInstanceOf(ValidationError);
  });

  it('automatic environment: approved by policy at once, applied without an approver', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 1)],
      author: 'alice',
      title: 'dev svc',
    });
    expect(cr).toMatchObject({ status: 'approved', approval: 'automatic', requiredApprovals: 0 });
    const { request } = await f.workflow.apply(cr.id, 'alice');
    expect(request.status).toBe('applied');
    const audit = await f.workflow.audit('dev', 'vic');
    expect(audit.map((e) => [e.event, e.actor])).toEqual([
      ['proposed', 'alice'],
      ['approved', 'policy:automatic'],
      ['applied', 'alice'],
    ]);
    // Approving an automatically approved request makes no sense: refused.
    await expect(f.workflow.approve(cr.id, 'bob')).rejects.toBeInstanceOf(ValidationError);
  });

  it('rejection is final and audited with its reason', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'x',
    });
    await expect(f.workflow.reject(cr.id, 'bob', '  ')).rejects.toMatchObject({
      issues: [{ path: ['reason'] }],
    });
    const rejected = await f.workflow.reject(cr.id, 'bob', 'not during the freeze');
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejection: { approver: 'bob', reason: 'not during the freeze' },
    });
    await expect(f.workflow.approve(cr.id, 'dave')).rejects.toBeInstanceOf(ValidationError);
    await expect(f.workflow.apply(cr.id, 'alice')).rejects.toBeInstanceOf(ValidationError);
    const audit = await f.workflow.audit('prod', 'root');
    expect(audit.at(-1)).toMatchObject({
      event: 'rejected',
      actor: 'bob',
      details: { reason: 'not during the freeze' },
    });
    expect(f.cloud.list()).toEqual([]);
  });

  it('a newer request for the same environment supersedes open ones (not other environments)', async () => {
    const f = workflowFixture();
    const first = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'one',
    });
    await f.workflow.approve(first.id, 'bob');
    const dev = await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 1)],
      author: 'alice',
      title: 'dev',
    });
    const second = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 3)],
      author: 'carol',
      title: 'two',
    });
    const stored = await f.workflow.list('vic', { environment: 'prod' });
    expect(stored.map((r) => [r.id, r.status, r.supersededBy])).toEqual([
      [first.id, 'superseded', second.id],
      [second.id, 'proposed', undefined],
    ]);
    expect((await f.workflow.get(dev.id, 'vic')).status).toBe('approved');
    await expect(f.workflow.apply(first.id, 'alice')).rejects.toBeInstanceOf(ValidationError);
    expect(events(await f.workflow.audit('prod', 'vic'))).toEqual([
      'proposed',
      'approved',
      'proposed',
      'superseded',
    ]);
    expect(f.log.filter((e) => e.name === 'change:superseded')).toHaveLength(1);
  });

  it('an apply that fails in the cloud marks the request failed with the outcome', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 1)],
      author: 'alice',
      title: 'x',
    });
    f.cloud.hook = (call) => {
      if (call.operation === 'create') throw new ProviderError('memory', 'create', 'fatal', 'quota exceeded');
    };
    const { request, result } = await f.workflow.apply(cr.id, 'alice');
    expect(result.ok).toBe(false);
    expect(request).toMatchObject({
      status: 'failed',
      result: { ok: false, failed: ['svc'] },
      failure: { reason: 'apply-failed' },
    });
    expect((await f.workflow.audit('dev', 'vic')).at(-1)).toMatchObject({
      event: 'failed',
      details: { ok: false },
    });
  });

  it('a held apply lock leaves the request approved for a retry', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 1)],
      author: 'alice',
      title: 'x',
    });
    await f.stateStore.acquireLock('dev', 'other-host', 60_000);
    await expect(f.workflow.apply(cr.id, 'alice')).rejects.toMatchObject({ reason: 'locked' });
    expect((await f.workflow.get(cr.id, 'vic')).status).toBe('approved');
    // An admin forces the lock open (audited); the retry applies.
    await expect(f.workflow.forceUnlock('dev', 'alice')).rejects.toBeInstanceOf(PermissionError);
    expect(await f.workflow.forceUnlock('dev', 'root')).toEqual({ released: true, holder: 'other-host' });
    expect((await f.workflow.apply(cr.id, 'alice')).request.status).toBe('applied');
    expect(events(await f.workflow.audit('dev', 'vic'))).toEqual([
      'proposed',
      'approved',
      'denied',
      'lock-released',
      'applied',
    ]);
  });
});

describe('workflow: four-eyes and approval count', () => {
  it('an author cannot approve their own request, even holding the approver role', async () => {
    const f = workflowFixture();
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'carol',
      title: 'x',
    });
    const error = await f.workflow.approve(cr.id, 'carol').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ actor: 'carol', permission: 'change:approve', environment: 'prod' });
    expect((error as PermissionError).reason).toMatch(/four-eyes/);
    expect((await f.workflow.get(cr.id, 'vic')).status).toBe('proposed');
    expect((await f.workflow.audit('prod', 'vic')).at(-1)).toMatchObject({
      event: 'denied',
      actor: 'carol',
      changeRequest: cr.id,
      details: {
        permission: 'change:approve',
        operation: 'approve',
        reason: expect.stringMatching(/four-eyes/),
      },
    });
    await f.workflow.approve(cr.id, 'bob');
    expect((await f.workflow.apply(cr.id, 'carol')).request.status).toBe('applied');
  });

  it('N approvals: distinct approvers, the request is approved at the Nth', async () => {
    const f = workflowFixture({ requiredApprovals: 2 });
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'x',
    });
    expect(cr.requiredApprovals).toBe(2);
    expect((await f.workflow.approve(cr.id, 'bob')).status).toBe('proposed');
    await expect(f.workflow.approve(cr.id, 'bob')).rejects.toMatchObject({
      issues: [{ path: ['approvals'] }],
    });
    await expect(f.workflow.apply(cr.id, 'alice')).rejects.toBeInstanceOf(ValidationError);
    expect(f.cloud.list()).toEqual([]);
    expect((await f.workflow.approve(cr.id, 'dave')).status).toBe('approved');
    expect((await f.workflow.apply(cr.id, 'alice')).request.status).toBe('applied');
  });
});

describe('workflow: stale approvals are refused', () => {
  async function deployedThenApproved(f: ReturnType<typeof workflowFixture>) {
    const first = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'create',
    });
    await f.workflow.approve(first.id, 'bob');
    await f.workflow.apply(first.id, 'alice');
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 3)],
      author: 'alice',
      title: 'scale',
    });
    await f.workflow.approve(cr.id, 'bob');
    return cr;
  }

  it('when the cloud changed after approval (a console edit): names what changed, writes nothing', async () => {
    const f = workflowFixture();
    const cr = await deployedThenApproved(f);
    f.cloud.edit('memory.service', 'prod-svc', { replicas: 5 });
    f.cloud.resetCounters();
    const error = await f.workflow.apply(cr.id, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect(error).toMatchObject({ reason: 'stale-plan', details: { changeRequest: cr.id } });
    const changes = (error as StateError).details.changes as string[];
    expect(changes).toEqual([
      'svc: approved update, now conflict',
      'svc.replicas: approved patch 2 → 3 (observed 2), now conflict 2 → 3 (observed 5)',
    ]);
    expect((error as Error).message).toContain('svc.replicas');
    expect(f.cloud.callsByOperation.patch ?? 0).toBe(0);
    expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.replicas).toBe(5);
    const stored = await f.workflow.get(cr.id, 'vic');
    expect(stored).toMatchObject({ status: 'failed', failure: { reason: 'stale-approval', changes } });
    expect((await f.workflow.audit('prod', 'vic')).at(-1)).toMatchObject({
      event: 'failed',
      changeRequest: cr.id,
      details: { reason: 'stale-approval', changes },
    });
  });

  it('when the state changed after approval (an apply outside the workflow)', async () => {
    const f = workflowFixture();
    const cr = await deployedThenApproved(f);
    const plan = await f.engines.prod.plan([service('prod', 4)]);
    await f.engines.prod.apply(plan);
    const error = await f.workflow.apply(cr.id, 'alice').catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'stale-plan' });
    expect((error as StateError).details.changes).toEqual([
      'svc.replicas: approved patch 2 → 3 (observed 2), now patch 4 → 3 (observed 4)',
    ]);
    expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.replicas).toBe(4);
  });

  it('when the desired resources passed at apply differ from the approved ones', async () => {
    const f = workflowFixture();
    const cr = await deployedThenApproved(f);
    const error = await f.workflow
      .apply(cr.id, 'alice', { desired: [service('prod', 7)] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'stale-plan' });
    expect((error as StateError).details.changes).toEqual([
      'the desired resources differ from the ones proposed and approved',
      'svc.replicas: approved patch 2 → 3 (observed 2), now patch 2 → 7 (observed 2)',
    ]);
    expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.replicas).toBe(2);
  });

  it('an unchanged world applies exactly what was approved (desired passed again after a restart)', async () => {
    const f = workflowFixture();
    const cr = await deployedThenApproved(f);
    const restarted = f.restart();
    const { request } = await restarted.apply(cr.id, 'alice', { desired: [service('prod', 3)] });
    expect(request.status).toBe('applied');
    expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.replicas).toBe(3);
  });
});

describe('workflow: permissions', () => {
  it('every refused call throws a structured PermissionError, is audited and announced', async () => {
    const f = workflowFixture();
    const propose = f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'mallory',
      title: 'x',
    });
    await expect(propose).rejects.toMatchObject({
      name: 'PermissionError',
      code: 'PERMISSION',
      actor: 'mallory',
      permission: 'change:propose',
      environment: 'prod',
    });
    expect(f.cloud.calls).toBe(0); // refused before planning
    const cr = await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'x',
    });
    await expect(f.workflow.approve(cr.id, 'vic')).rejects.toMatchObject({ permission: 'change:approve' });
    await expect(f.workflow.approve(cr.id, 'alice')).rejects.toMatchObject({ permission: 'change:approve' });
    await f.workflow.approve(cr.id, 'bob');
    await expect(f.workflow.apply(cr.id, 'bob')).rejects.toMatchObject({ permission: 'change:apply' });
    await expect(f.workflow.get(cr.id, 'mallory')).rejects.toMatchObject({ permission: 'plan:read' });
    await expect(f.workflow.audit('prod', 'mallory')).rejects.toMatchObject({ permission: 'audit:read' });
    // dave approves production only.
    const dev = await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 1)],
      author: 'alice',
      title: 'x',
    });
    await expect(f.workflow.reject(dev.id, 'dave', 'no')).rejects.toMatchObject({
      actor: 'dave',
      environment: 'dev',
    });

    const audit = await f.workflow.audit('prod', 'root');
    expect(audit.filter((e) => e.event === 'denied').map((e) => [e.actor, e.details.permission])).toEqual([
      ['mallory', 'change:propose'],
      ['vic', 'change:approve'],
      ['alice', 'change:approve'],
      ['bob', 'change:apply'],
      ['mallory', 'plan:read'],
      ['mallory', 'audit:read'],
    ]);
    expect((await f.workflow.audit('dev', 'root')).at(-1)).toMatchObject({ event: 'denied', actor: 'dave' });
    expect(f.log.filter((e) => e.name === 'permission:denied')).toHaveLength(7);
    expect((await f.workflow.get(cr.id, 'vic')).status).toBe('approved');
    expect(await f.workflow.verifyAudit('prod', 'vic')).toMatchObject({ ok: true });
  });

  it('list shows only environments the actor may read', async () => {
    const f = workflowFixture({
      grants: [
        { actor: 'alice', role: 'proposer' },
        { actor: 'pat', role: 'viewer', environment: 'dev' },
      ],
    });
    await f.workflow.propose({
      environment: 'prod',
      desired: [service('prod', 2)],
      author: 'alice',
      title: 'p',
    });
    await f.workflow.propose({
      environment: 'dev',
      desired: [service('dev', 2)],
      author: 'alice',
      title: 'd',
    });
    expect((await f.workflow.list('pat')).map((r) => r.environment)).toEqual(['dev']);
    expect((await f.workflow.list('alice', { status: 'approved' })).map((r) => r.environment)).toEqual([
      'dev',
    ]);
    await expect(f.workflow.list('pat', { environment: 'prod' })).rejects.toBeInstanceOf(PermissionError);
  });

  it('accessPolicy: scopes by environment and type, wildcard actor; bad grants are typed errors', async () => {
    const policy = accessPolicy([
      { actor: '*', role: 'viewer' },
      { actor: 'ci', permissions: ['change:propose', 'change:apply'], environment: 'staging' },
      { actor: 'ops', role: 'admin', environmentType: 'production', environment: 'prod-eu' },
    ]);
    const prodEu = { environment: 'prod-eu', environmentType: 'production' } as const;
    const staging = { environment: 'staging', environmentType: 'development' } as const;
    expect(policy.allows('anyone', 'plan:read', prodEu)).toBe(true);
    expect(policy.allows('anyone', 'change:propose', staging)).toBe(false);
    expect(policy.allows('ci', 'change:apply', staging)).toBe(true);
    expect(policy.allows('ci', 'change:apply', { ...staging, environment: 'qa' })).toBe(false);
    expect(policy.allows('ops', 'state:force-unlock', prodEu)).toBe(true);
    expect(
      policy.allows('ops', 'state:force-unlock', { environment: 'prod-us', environmentType: 'production' }),
    ).toBe(false);

    const bad = (() => {
      try {
        accessPolicy([
          { actor: 'x', role: 'owner' as 'admin' },
          { actor: '', permissions: ['change:delete' as 'change:apply'] },
          { actor: 'y' },
        ]);
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).issues.map((i) => i.path)).toEqual([
      [0, 'role'],
      [1, 'actor'],
      [1, 'permissions', 0],
      [2],
    ]);
    expect((bad as ValidationError).issues[0]?.allowed).toEqual(['viewer', 'proposer', 'approver', 'admin']);
  });
});

describe('workflow: options and input', () => {
  it('refuses a misconfigured workflow and bad calls with typed errors', async () => {
    const engine = createEngine({
      environment: 'prod',
      providers: [memoryProvider()],
      store: new MemoryStore(),
    });
    expect(() =>
      createWorkflow({
        environments: [
          { environment: { name: 'production', type: 'production' }, engine },
          { environment: { name: 'x', type: 'staging' as 'preview' }, engine, requiredApprovals: 0 },
        ],
        access: accessPolicy([]),
      }),
    ).toThrow(ValidationError);
    const f = workflowFixture();
    await expect(
      f.workflow.propose({ environment: 'qa', desired: [], author: 'alice', title: 'x' }),
    ).rejects.toMatchObject({
      issues: [{ path: ['environment'], received: 'qa', allowed: ['prod', 'dev'] }],
    });
    await expect(
      f.workflow.propose({ environment: 'prod', desired: [], author: 'alice', title: '' }),
    ).rejects.toMatchObject({
      issues: [{ path: ['title'] }],
    });
    // Bad desired resources: the engine's own typed error, before any cloud call.
    await expect(
      f.workflow.propose({
        environment: 'prod',
        desired: [{ id: 'svc', type: 'nope.x', name: 'n', attributes: {} }],
        author: 'alice',
        title: 'x',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(f.workflow.approve('cr-404', 'bob')).rejects.toMatchObject({
      issues: [{ path: ['id'], received: 'cr-404' }],
    });
    expect(f.cloud.calls).toBe(0);
  });
});
