import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { type OpenApiSchema, type SchemaIssue, validateSchema } from './openapi-schema-validator.js';

/** One parameter of an operation, as the spec declares it. */
export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: OpenApiSchema;
}

/** One operation of the spec, with path-level parameters merged in. */
export interface SpecOperation {
  operationId: string;
  method: string;
  /** Template as in the spec, e.g. `/projects/{project_id}/branches`. */
  path: string;
  parameters: SpecParameter[];
  requestBody?: { required: boolean; schema: OpenApiSchema };
  /** Response schemas by status (`200`, `201`, `default`). */
  responses: Record<string, OpenApiSchema | undefined>;
}

interface RawSpec {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

/** The Neon API v2 OpenAPI document shipped in `@neondatabase/api-client`, parsed once on first use. */
export class NeonSpec {
  private constructor(
    private readonly raw: RawSpec,
    readonly operations: ReadonlyMap<string, SpecOperation>,
  ) {}

  private static loaded: NeonSpec | undefined;

  /** Parses the spec on first call (about half a second), so sandbox startup stays fast. */
  static get(): NeonSpec {
    NeonSpec.loaded ??= NeonSpec.load();
    return NeonSpec.loaded;
  }

  /** The spec operation a method and API path (without `/api/v2`) call, if the spec has one. */
  match(method: string, path: string): SpecOperation | undefined {
    for (const operation of this.operations.values()) {
      if (operation.method === method.toUpperCase() && templateRegex(operation.path).test(path)) {
        return operation;
      }
    }
    return undefined;
  }

  resolve = (ref: string): OpenApiSchema => {
    const parts = ref.replace(/^#\//, '').split('/');
    let node: unknown = this.raw;
    for (const part of parts) node = (node as Record<string, unknown> | undefined)?.[part];
    if (!node) throw new Error(`Neon spec has no ${ref}`);
    return node as OpenApiSchema;
  };

  /** Validates a value against a schema; `closed` rejects undeclared fields (see docs/neon.md). */
  validate(schema: OpenApiSchema, value: unknown, path: string, closed: boolean): SchemaIssue[] {
    return validateSchema(schema, value, { closed, resolve: this.resolve }, path);
  }

  /** Validates a response body against the operation's schema for `status` (else `default`). */
  validateResponse(operationId: string, status: number, body: unknown): SchemaIssue[] {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`Neon spec has no operation ${operationId}`);
    const schema = operation.responses[String(status)] ?? operation.responses.default;
    if (!schema) return [{ path: '(response)', message: `no schema for status ${status}` }];
    return this.validate(schema, body, '', true);
  }

  private static load(): NeonSpec {
    // `__filename` exists in the CJS build, `import.meta.url` in ESM and under vitest.
    const base = typeof __filename === 'string' ? __filename : import.meta.url;
    const file = createRequire(base).resolve('@neondatabase/api-client/public-v2-for-users.gen.yaml');
    const raw = parse(readFileSync(file, 'utf8')) as RawSpec;
    const operations = new Map<string, SpecOperation>();
    const spec = new NeonSpec(raw, operations);
    for (const [path, item] of Object.entries(raw.paths)) {
      const shared = (item.parameters as SpecParameter[] | undefined) ?? [];
      for (const [method, value] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const op = value as {
          operationId: string;
          parameters?: (SpecParameter | { $ref: string })[];
          requestBody?: { required?: boolean; content?: Record<string, { schema: OpenApiSchema }> };
          responses: Record<string, { $ref?: string; content?: Record<string, { schema: OpenApiSchema }> }>;
        };
        const own = (op.parameters ?? []).map((p) =>
          '$ref' in p ? (spec.resolve(p.$ref) as unknown as SpecParameter) : p,
        );
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const responses: Record<string, OpenApiSchema | undefined> = {};
        for (const [status, response] of Object.entries(op.responses)) {
          const resolved = response.$ref
            ? (spec.resolve(response.$ref) as unknown as typeof response)
            : response;
          responses[status] = resolved.content?.['application/json']?.schema;
        }
        operations.set(op.operationId, {
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          parameters: [...shared.filter((s) => !own.some((o) => o.name === s.name)), ...own],
          ...(bodySchema
            ? { requestBody: { required: op.requestBody?.required ?? false, schema: bodySchema } }
            : {}),
          responses,
        });
      }
    }
    return spec;
  }
}

const templates = new Map<string, RegExp>();

/** `/projects/{project_id}` → a regex matching one path segment per parameter, captured by name. */
export function templateRegex(template: string): RegExp {
  let regex = templates.get(template);
  if (!regex) {
    const source = template
      .split(/(\{[a-z_]+\})/)
      .map((part) =>
        part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
      )
      .join('');
    regex = new RegExp(`^${source}$`);
    templates.set(template, regex);
  }
  return regex;
}
