import type { NeonEnv } from './neon-env.js';

/** One validated Neon request as a handler sees it. */
export interface NeonCall {
  /** Path parameters by spec name (`project_id`, `branch_id`…), URL-decoded. */
  params: Record<string, string>;
  /** Query parameters coerced to the spec's types (numbers, booleans). */
  query: Record<string, unknown>;
  /** The JSON body, already validated against the spec (`{}` when there is none). */
  body: Record<string, unknown>;
}

/** What a handler answers: status and JSON body. */
export interface NeonReply {
  status: number;
  body: object;
}

export type NeonHandler = (call: NeonCall, env: NeonEnv) => NeonReply;
