/** Where a Neon role lives: the coordinates a password store keys its secret by. */
export interface NeonRoleCoordinates {
  projectId: string;
  branchId: string;
  /** The role's name (the Postgres user). */
  role: string;
}

/**
 * Where role passwords go. Neon returns a role's password only when the role is created or its password
 * reset, and Patchbay never keeps it (not in state, plans, events or errors): the provider hands it to this
 * store at once, and the role's `passwordSecret` output is the store's **reference** to it (a Secrets
 * Manager ARN, a Secret Manager version name, `secret-name/key` of a Kubernetes secret…), which compute
 * providers pass to the process as a secret reference, never as a value.
 *
 * @example
 * const store: RolePasswordStore = {
 *   reference: ({ projectId, branchId, role }) =>
 *     `arn:aws:secretsmanager:eu-west-1:123456789012:secret:neon/${projectId}/${branchId}/${role}`,
 *   put: (reference, password) => secrets.send(new PutSecretValueCommand({ SecretId: reference, SecretString: password })),
 * };
 */
export interface RolePasswordStore {
  /** The deterministic reference under which this role's password is kept (observe reports it without a call). */
  reference(role: NeonRoleCoordinates): string;
  /** Keep `password` under `reference` (replacing an earlier one). Must not log it. */
  put(reference: string, password: string, signal: AbortSignal): Promise<void>;
}
