import { randomUUID } from 'node:crypto';
import type { ApplyOptions } from '../engine/apply.js';
import { planToJSON } from '../engine/plan-to-json.js';
import type { ApplyResult } from '../engine/plan-types.js';
import { PermissionError } from '../errors/permission-error.js';
import { StateError } from '../errors/state-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { JsonValue, ResourceSpec } from '../resources/resource-spec.js';
import type { AccessPolicy, Permission } from './access-policy.js';
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
  type AuditVerification,
  verifyAuditChain,
} from './audit-chain.js';
import type { ChangePlanOptions, ChangeRequest, ChangeStatus } from './change-request.js';
import { desiredDigest, hasSensitive } from './desired-digest.js';
import { FileWorkflowStore } from './file-workflow-store.js';
import { planChanges } from './plan-changes.js';
import {
  type ResolvedEnvironment,
  resolveEnvironments,
  type WorkflowEnvironment,
} from './workflow-environment.js';
import { WorkflowEvents } from './workflow-events.js';
import type { WorkflowStore } from './workflow-store.js';

export interface WorkflowOptions {
  /** The environments changes may be proposed for, each with its engine. */
  environments: WorkflowEnvironment[];
  /** Who may do what where: `accessPolicy(grants)` or the portal's own. */
  access: AccessPolicy;
  /** Where change requests and the audit history live. @default new FileWorkflowStore('.patchbay/workflow') */
  store?: WorkflowStore;
  /** Emitter to publish events on. @default a new WorkflowEvents */
  events?: WorkflowEvents;
  /** Clock (tests). @default () => new Date() */
  now?: () => Date;
  /** Change request ids (tests). @default () => `cr-${randomUUID()}` */
  newId?: () => string;
}

export interface ProposeInput {
  /** Name of a governed environment. */
  environment: string;
  /** The desired resources (`desiredResources(env, app, allocation)`). */
  desired: ResourceSpec[];
  author: string;
  title: string;
  /** Decisions the plan needs (forced attributes, allowed replacements, confirmed deletions). */
  planOptions?: ChangePlanOptions;
}

export interface ApplyChangeOptions {
  /**
   * The desired resources again. Needed after a restart when they hold sensitive values (never stored);
   * they must be exactly the ones proposed, or the approval is stale. @default those given to `propose`
   */
  desired?: ResourceSpec[];
  signal?: ApplyOptions['signal'];
}

export interface Workflow {
  readonly events: WorkflowEvents;
  /** Plan `desired` and store it as a change request (needs `change:propose`). Supersedes open requests for the environment. */
  propose(input: ProposeInput): Promise<ChangeRequest>;
  /** Approve (needs `change:approve`; never the author's own request). */
  approve(id: string, approver: string): Promise<ChangeRequest>;
  /** Reject a proposed or approved request (needs `change:approve`). */
  reject(id: string, approver: string, reason: string): Promise<ChangeRequest>;
  /**
   * Re-plan and apply an approved request (needs `change:apply`). Throws `StateError('stale-plan')`,
   * and marks the request failed, when the fresh plan differs from the approved one.
   */
  apply(
    id: string,
    actor: string,
    options?: ApplyChangeOptions,
  ): Promise<{ request: ChangeRequest; result: ApplyResult }>;
  /** One request (needs `plan:read`). */
  get(id: string, actor: string): Promise<ChangeRequest>;
  /** Requests the actor may read, oldest first (needs `plan:read` in the environment when one is named). */
  list(actor: string, filter?: { environment?: string; status?: ChangeStatus }): Promise<ChangeRequest[]>;
  /** The environment's audit history (needs `audit:read`). */
  audit(environment: string, actor: string): Promise<AuditEntry[]>;
  /** Check the history's hash chain (needs `audit:read`); pass a `head` saved earlier to detect a removed tail. */
  verifyAudit(environment: string, actor: string, options?: { head?: AuditHead }): Promise<AuditVerification>;
  /** Release the engine's apply lock whoever holds it (needs `state:force-unlock`; the environment needs `stateStore`). */
  forceUnlock(environment: string, actor: string): Promise<{ released: boolean; holder?: string }>;
}

const AUTOMATIC = 'policy:automatic';

/**
 * The controlled workflow: change requests with approvals, role-based permissions, and an append-only,
 * hash-chained audit history per environment. Every call takes the acting user and checks their
 * permission first; refusals throw `PermissionError` and are audited.
 *
 * @example
 * const workflow = createWorkflow({
 *   environments: [{ environment: prodEnv, engine: createEngine({ environment: prodEnv.name, providers }) }],
 *   access: accessPolicy([{ actor: 'alice', role: 'proposer' }, { actor: 'bob', role: 'approver' }]),
 * });
 * const cr = await workflow.propose({ environment: prodEnv.name, desired, author: 'alice', title: 'Scale api' });
 * await workflow.approve(cr.id, 'bob');
 * await workflow.apply(cr.id, 'alice');
 */
export function createWorkflow(options: WorkflowOptions): Workflow {
  const environments = resolveEnvironments(options.environments);
  if (typeof options.access?.allows !== 'function') {
    throw new ValidationError('Workflow options', [
      {
        path: ['access'],
        message: 'is not an access policy',
        allowed: 'accessPolicy(grants) or { allows() }',
      },
    ]);
  }
  const access = options.access;
  const store = options.store ?? new FileWorkflowStore('.patchbay/workflow');
  const events = options.events ?? new WorkflowEvents();
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const newId = options.newId ?? (() => `cr-${randomUUID()}`);
  // Raw desired resources (secrets included) of open requests, kept in memory only.
  const desiredById = new Map<string, ResourceSpec[]>();
  const queues = new Map<string, Promise<unknown>>();

  /** Run `task` after every earlier mutation of the same environment in this process. */
  function serialized<T>(environment: string, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(environment) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => undefined);
    queues.set(environment, settled);
    return run;
  }

  function environmentOf(name: string, path: string): ResolvedEnvironment {
    const env = typeof name === 'string' ? environments.get(name) : undefined;
    if (!env) {
      throw new ValidationError('Workflow call', [
        {
          path: [path],
          message: 'is not a governed environment',
          received: name,
          allowed: [...environments.keys()],
        },
      ]);
    }
    return env;
  }

  function requireText(subject: string, field: string, value: unknown): asserts value is string {
    if (typeof value !== 'string' || value.trim().length === 0) {
      throw new ValidationError(subject, [
        { path: [field], message: 'is required', received: value, allowed: 'a non-empty string' },
      ]);
    }
  }

  async function audit(env: ResolvedEnvironment, record: Omit<AuditRecord, 'at'>): Promise<AuditEntry> {
    return store.appendAudit(env.name, { ...record, at: now() });
  }

  async function deny(
    env: ResolvedEnvironment,
    actor: string,
    permission: Permission,
    operation: string,
    reason?: string,
    changeRequest?: string,
  ): Promise<never> {
    const entry = await audit(env, {
      event: 'denied',
      actor,
      ...(changeRequest ? { changeRequest } : {}),
      details: { permission, operation, ...(reason ? { reason } : {}) },
    });
    events.emit('permission:denied', {
      actor,
      permission,
      environment: env.name,
      ...(reason ? { reason } : {}),
      audit: entry,
    });
    throw new PermissionError(actor, permission, env.name, reason);
  }

  async function authorize(
    env: ResolvedEnvironment,
    actor: string,
    permission: Permission,
    operation: string,
    changeRequest?: string,
  ): Promise<void> {
    requireText(`Workflow ${operation}`, 'actor', actor);
    if (!(await access.allows(actor, permission, { environment: env.name, environmentType: env.type }))) {
      await deny(env, actor, permission, operation, undefined, changeRequest);
    }
  }

  async function load(id: string): Promise<ChangeRequest> {
    requireText('Change request', 'id', id);
    const request = await store.getRequest(id);
    if (!request) {
      throw new ValidationError('Change request', [
        { path: ['id'], message: 'does not exist', received: id },
      ]);
    }
    return request;
  }

  function requireStatus(request: ChangeRequest, operation: string, allowed: ChangeStatus[]): void {
    if (!allowed.includes(request.status)) {
      throw new ValidationError(`Change request ${request.id}`, [
        {
          path: ['status'],
          message: `only a ${allowed.join(' or ')} change request can be ${operation}`,
          received: request.status,
          allowed,
        },
      ]);
    }
  }

  /** Save the next version of a request (compare-and-set on the version read). */
  async function save(request: ChangeRequest, changes: Partial<ChangeRequest>): Promise<ChangeRequest> {
    const next: ChangeRequest = { ...request, ...changes, version: request.version + 1, updatedAt: now() };
    await store.saveRequest(next, request.version);
    return next;
  }

  async function supersede(env: ResolvedEnvironment, by: ChangeRequest): Promise<void> {
    for (const open of await store.listRequests(env.name)) {
      if (open.id === by.id || (open.status !== 'proposed' && open.status !== 'approved')) continue;
      const request = await save(open, { status: 'superseded', supersededBy: by.id });
      desiredById.delete(open.id);
      const entry = await audit(env, {
        event: 'superseded',
        actor: by.author,
        changeRequest: open.id,
        details: { by: by.id },
      });
      events.emit('change:superseded', { request, by: by.id, audit: entry });
    }
  }

  async function finish(
    env: ResolvedEnvironment,
    request: ChangeRequest,
    actor: string,
    changes: Partial<ChangeRequest>,
    details: Record<string, JsonValue>,
  ): Promise<ChangeRequest> {
    const saved = await save(request, changes);
    desiredById.delete(request.id);
    const event = saved.status === 'applied' ? 'applied' : 'failed';
    const entry = await audit(env, { event, actor, changeRequest: request.id, details });
    events.emit(event === 'applied' ? 'change:applied' : 'change:failed', {
      request: saved,
      actor,
      audit: entry,
    });
    return saved;
  }

  return {
    events,

    async propose(input) {
      const env = environmentOf(input?.environment, 'environment');
      await authorize(env, input.author, 'change:propose', 'propose');
      requireText('Change request', 'title', input.title);
      if (!Array.isArray(input.desired)) {
        throw new ValidationError('Change request', [
          {
            path: ['desired'],
            message: 'must be a list of resources',
            allowed: 'desiredResources(env, app, allocation)',
          },
        ]);
      }
      const planOptions = copyPlanOptions(input.planOptions);
      // The engine validates the desired resources (typed error, before any cloud call).
      const plan = planToJSON(await env.engine.plan(input.desired, planOptions));
      const desired = structuredClone(input.desired);
      return serialized(env.name, async () => {
        const at = now();
        const automatic = env.approval === 'automatic';
        let request: ChangeRequest = {
          id: newId(),
          environment: env.name,
          environmentType: env.type,
          title: input.title,
          author: input.author,
          status: automatic ? 'approved' : 'proposed',
          approval: env.approval,
          requiredApprovals: automatic ? 0 : env.requiredApprovals,
          approvals: [],
          plan,
          planOptions,
          desiredDigest: desiredDigest(desired),
          ...(hasSensitive(desired) ? {} : { desired }),
          createdAt: at,
          updatedAt: at,
          version: 0,
        };
        request = await save(request, {});
        desiredById.set(request.id, desired);
        const proposed = await audit(env, {
          event: 'proposed',
          actor: request.author,
          changeRequest: request.id,
          details: {
            title: request.title,
            approval: request.approval,
            requiredApprovals: request.requiredApprovals,
            baseRevision: plan.baseRevision,
            empty: plan.empty,
            summary: { ...plan.summary },
          },
        });
        events.emit('change:proposed', { request, audit: proposed });
        if (automatic) {
          const approved = await audit(env, {
            event: 'approved',
            actor: AUTOMATIC,
            changeRequest: request.id,
            details: { policy: 'automatic' },
          });
          events.emit('change:approved', { request, approver: AUTOMATIC, audit: approved });
        }
        await supersede(env, request);
        return request;
      });
    },

    async approve(id, approver) {
      const found = await load(id);
      const env = environmentOf(found.environment, 'environment');
      await authorize(env, approver, 'change:approve', 'approve', id);
      return serialized(env.name, async () => {
        const request = await load(id);
        requireStatus(request, 'approved', ['proposed']);
        if (approver === request.author) {
          await deny(
            env,
            approver,
            'change:approve',
            'approve',
            'four-eyes: the author of a change request cannot approve it',
            id,
          );
        }
        if (request.approvals.some((a) => a.approver === approver)) {
          throw new ValidationError(`Change request ${id}`, [
            { path: ['approvals'], message: `${approver} has already approved it`, received: approver },
          ]);
        }
        const approvals = [...request.approvals, { approver, at: now() }];
        const saved = await save(request, {
          approvals,
          status: approvals.length >= request.requiredApprovals ? 'approved' : 'proposed',
        });
        const entry = await audit(env, {
          event: 'approved',
          actor: approver,
          changeRequest: id,
          details: {
            approvals: approvals.length,
            requiredApprovals: request.requiredApprovals,
            status: saved.status,
          },
        });
        events.emit('change:approved', { request: saved, approver, audit: entry });
        return saved;
      });
    },

    async reject(id, approver, reason) {
      const found = await load(id);
      const env = environmentOf(found.environment, 'environment');
      await authorize(env, approver, 'change:approve', 'reject', id);
      requireText(`Rejection of change request ${id}`, 'reason', reason);
      return serialized(env.name, async () => {
        const request = await load(id);
        requireStatus(request, 'rejected', ['proposed', 'approved']);
        const saved = await save(request, { status: 'rejected', rejection: { approver, reason, at: now() } });
        desiredById.delete(id);
        const entry = await audit(env, {
          event: 'rejected',
          actor: approver,
          changeRequest: id,
          details: { reason },
        });
        events.emit('change:rejected', { request: saved, approver, reason, audit: entry });
        return saved;
      });
    },

    async apply(id, actor, applyOptions = {}) {
      const found = await load(id);
      const env = environmentOf(found.environment, 'environment');
      await authorize(env, actor, 'change:apply', 'apply', id);
      return serialized(env.name, async () => {
        const request = await load(id);
        requireStatus(request, 'applied', ['approved']);
        assertApproved(request);
        const desired = applyOptions.desired ?? desiredById.get(id) ?? request.desired;
        if (!desired) {
          throw new ValidationError(`Applying change request ${id}`, [
            {
              path: ['desired'],
              message:
                'is needed: its desired resources hold sensitive values, which are never stored; pass the same desired resources again',
              allowed: 'the desired resources given to propose()',
            },
          ]);
        }
        const changes: string[] = [];
        const digest = desiredDigest(desired);
        if (digest !== request.desiredDigest) {
          changes.push('the desired resources differ from the ones proposed and approved');
        }
        const fresh = await env.engine.plan(desired, request.planOptions);
        changes.push(...planChanges(request.plan, planToJSON(fresh)));
        if (changes.length) {
          const message =
            `Change request ${id} was approved for a plan that no longer holds; propose it again. What changed:\n` +
            changes.map((c) => `  - ${c}`).join('\n');
          await finish(
            env,
            request,
            actor,
            { status: 'failed', failure: { reason: 'stale-approval', message, changes } },
            { reason: 'stale-approval', changes },
          );
          throw new StateError('stale-plan', message, { changeRequest: id, changes });
        }
        let result: ApplyResult;
        try {
          result = await env.engine.apply(fresh, applyOptions.signal ? { signal: applyOptions.signal } : {});
        } catch (error) {
          // Another applier holds the lock, or the state moved in between: nothing was done, retry later.
          if (error instanceof StateError && (error.reason === 'locked' || error.reason === 'stale-plan'))
            throw error;
          const message = error instanceof Error ? error.message : String(error);
          await finish(
            env,
            request,
            actor,
            { status: 'failed', appliedBy: actor, failure: { reason: 'apply-error', message } },
            { reason: 'apply-error', message },
          );
          throw error;
        }
        const failed = result.outcomes
          .filter(
            (o) =>
              !['created', 'updated', 'replaced', 'deleted', 'forgotten', 'recorded', 'unchanged'].includes(
                o.outcome,
              ) || o.conflicts?.length,
          )
          .map((o) => o.id);
        const summary = { ...result.summary };
        const saved = await finish(
          env,
          request,
          actor,
          {
            status: result.ok ? 'applied' : 'failed',
            appliedBy: actor,
            result: { ok: result.ok, summary, failed },
            ...(result.ok
              ? {}
              : {
                  failure: {
                    reason: 'apply-failed' as const,
                    message: `${failed.length} action(s) did not finish: ${failed.join(', ')}`,
                  },
                }),
          },
          { ok: result.ok, summary: summary as unknown as JsonValue, failed },
        );
        return { request: saved, result };
      });
    },

    async get(id, actor) {
      const request = await load(id);
      await authorize(environmentOf(request.environment, 'environment'), actor, 'plan:read', 'get', id);
      return request;
    },

    async list(actor, filter = {}) {
      requireText('Workflow list', 'actor', actor);
      let names = [...environments.keys()];
      if (filter.environment !== undefined) {
        const env = environmentOf(filter.environment, 'environment');
        await authorize(env, actor, 'plan:read', 'list');
        names = [env.name];
      }
      const readable = new Set<string>();
      for (const name of names) {
        const env = environments.get(name) as ResolvedEnvironment;
        if (await access.allows(actor, 'plan:read', { environment: name, environmentType: env.type }))
          readable.add(name);
      }
      const requests = await store.listRequests(filter.environment);
      return requests.filter(
        (r) => readable.has(r.environment) && (filter.status === undefined || r.status === filter.status),
      );
    },

    async audit(environment, actor) {
      const env = environmentOf(environment, 'environment');
      await authorize(env, actor, 'audit:read', 'audit');
      return store.readAudit(env.name);
    },

    async verifyAudit(environment, actor, verifyOptions = {}) {
      const env = environmentOf(environment, 'environment');
      await authorize(env, actor, 'audit:read', 'verify-audit');
      let entries: AuditEntry[];
      try {
        entries = await store.readAudit(env.name);
      } catch (error) {
        if (!(error instanceof StateError && error.reason === 'corrupt')) throw error;
        const line = Number(error.details.line ?? 1);
        return {
          ok: false,
          entries: line - 1,
          firstBad: { index: line - 1, problem: 'unreadable', message: error.message },
        };
      }
      return verifyAuditChain(env.name, entries, verifyOptions.head);
    },

    async forceUnlock(environment, actor) {
      const env = environmentOf(environment, 'environment');
      await authorize(env, actor, 'state:force-unlock', 'force-unlock');
      const stateStore = env.stateStore;
      if (!stateStore) {
        throw new ValidationError('Workflow options', [
          {
            path: ['environments', env.name, 'stateStore'],
            message: 'is needed to force-unlock',
            allowed: 'the state store the engine uses',
          },
        ]);
      }
      return serialized(env.name, async () => {
        const lock = (await stateStore.read(env.name)).lock;
        if (!lock) return { released: false };
        await stateStore.releaseLock(env.name, lock.holder);
        const entry = await audit(env, {
          event: 'lock-released',
          actor,
          details: { holder: lock.holder, since: lock.since, expiresAt: lock.expiresAt },
        });
        events.emit('lock:released', { environment: env.name, actor, holder: lock.holder, audit: entry });
        return { released: true, holder: lock.holder };
      });
    },
  };
}

/** Never apply a manual change without its approvals, whatever the stored status says. */
function assertApproved(request: ChangeRequest): void {
  if (request.approval === 'automatic') return;
  const approvers = new Set(request.approvals.map((a) => a.approver).filter((a) => a !== request.author));
  if (approvers.size < request.requiredApprovals) {
    throw new ValidationError(`Change request ${request.id}`, [
      {
        path: ['approvals'],
        message: `needs ${request.requiredApprovals} approval(s) by someone other than the author, has ${approvers.size}`,
        received: request.approvals.map((a) => a.approver),
      },
    ]);
  }
}

function copyPlanOptions(options: ChangePlanOptions | undefined): ChangePlanOptions {
  const out: ChangePlanOptions = {};
  if (options?.force) out.force = [...options.force];
  if (options?.allowReplace) out.allowReplace = [...options.allowReplace];
  if (options?.confirmDelete) out.confirmDelete = [...options.confirmDelete];
  return out;
}
