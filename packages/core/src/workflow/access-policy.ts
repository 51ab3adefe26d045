import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';

/** What an actor may do in an environment. */
export const PERMISSIONS = [
  'plan:read',
  'audit:read',
  'change:propose',
  'change:approve',
  'change:apply',
  'state:force-unlock',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Environment types of the environment model. */
export type EnvironmentType = 'production' | 'development' | 'preview';

/**
 * Built-in roles. `change:approve` also covers rejecting.
 * - `viewer`: read change requests, plans and the audit history.
 * - `proposer`: viewer + propose changes and apply approved ones.
 * - `approver`: viewer + approve or reject others' changes.
 * - `admin`: everything, including `state:force-unlock`.
 */
export const ROLE_PERMISSIONS = {
  viewer: ['plan:read', 'audit:read'],
  proposer: ['plan:read', 'audit:read', 'change:propose', 'change:apply'],
  approver: ['plan:read', 'audit:read', 'change:approve'],
  admin: [...PERMISSIONS],
} as const satisfies Record<string, readonly Permission[]>;
export type Role = keyof typeof ROLE_PERMISSIONS;

/**
 * One grant: a role (or a list of permissions) for an actor, in a scope. A grant with neither
 * `environment` nor `environmentType` applies everywhere; with both, only where both match.
 *
 * @example
 * { actor: 'alice', role: 'approver', environmentType: 'production' }
 * { actor: '*', role: 'viewer' } // everyone may read everything
 * { actor: 'ci', permissions: ['change:propose', 'change:apply'], environment: 'staging' }
 */
export interface Grant {
  /** Actor id as the portal names it, or `'*'` for every actor. */
  actor: string;
  role?: Role;
  permissions?: Permission[];
  /** Only in the environment of this name. @default every environment */
  environment?: string;
  /** Only in environments of this type. @default every type */
  environmentType?: EnvironmentType;
}

/** The environment a permission is checked in. */
export interface AccessTarget {
  environment: string;
  environmentType: EnvironmentType;
}

/** Decides permissions. Implement it to plug in a portal's own authorization. */
export interface AccessPolicy {
  allows(actor: string, permission: Permission, target: AccessTarget): boolean | Promise<boolean>;
}

/**
 * The built-in policy: an actor has a permission in an environment when any grant matching the actor
 * (or `'*'`) and the environment gives it. Nothing is allowed by default.
 *
 * @example
 * const access = accessPolicy([
 *   { actor: '*', role: 'viewer' },
 *   { actor: 'alice', role: 'proposer' },
 *   { actor: 'bob', role: 'approver', environmentType: 'production' },
 * ]);
 */
export function accessPolicy(grants: readonly Grant[]): AccessPolicy {
  validateGrants(grants);
  const own = grants.map((g) => ({
    ...g,
    granted: new Set<Permission>([...(g.role ? ROLE_PERMISSIONS[g.role] : []), ...(g.permissions ?? [])]),
  }));
  return {
    allows: (actor, permission, target) =>
      own.some(
        (g) =>
          (g.actor === '*' || g.actor === actor) &&
          (g.environment === undefined || g.environment === target.environment) &&
          (g.environmentType === undefined || g.environmentType === target.environmentType) &&
          g.granted.has(permission),
      ),
  };
}

function validateGrants(grants: readonly Grant[]): void {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(grants)) {
    throw new ValidationError('Access grants', [
      { path: [], message: 'must be a list of grants', allowed: '[{ actor, role, environment? }]' },
    ]);
  }
  grants.forEach((g, i) => {
    if (typeof g?.actor !== 'string' || g.actor.length === 0) {
      issues.push({
        path: [i, 'actor'],
        message: 'is required',
        received: g?.actor,
        allowed: 'an actor id or "*"',
      });
    }
    if (g?.role !== undefined && !Object.hasOwn(ROLE_PERMISSIONS, g.role)) {
      issues.push({
        path: [i, 'role'],
        message: 'is not a role',
        received: g.role,
        allowed: Object.keys(ROLE_PERMISSIONS),
      });
    }
    g?.permissions?.forEach((p: Permission, j: number) => {
      if (!PERMISSIONS.includes(p)) {
        issues.push({
          path: [i, 'permissions', j],
          message: 'is not a permission',
          received: p,
          allowed: PERMISSIONS,
        });
      }
    });
    if (g && g.role === undefined && !g.permissions?.length) {
      issues.push({ path: [i], message: 'grants nothing', allowed: 'a role or a list of permissions' });
    }
    if (g?.environmentType !== undefined && !ENVIRONMENT_TYPES.includes(g.environmentType)) {
      issues.push({
        path: [i, 'environmentType'],
        message: 'is not an environment type',
        received: g.environmentType,
        allowed: ENVIRONMENT_TYPES,
      });
    }
  });
  if (issues.length) throw new ValidationError('Access grants', issues);
}

export const ENVIRONMENT_TYPES: readonly EnvironmentType[] = ['production', 'development', 'preview'];
