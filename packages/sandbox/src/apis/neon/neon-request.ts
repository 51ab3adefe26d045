import type { SandboxRequest } from '../../core/sandbox-request.js';
import type { NeonCall } from './neon-call.js';
import { neonError } from './neon-errors.js';
import type { NeonSpec, SpecOperation, SpecParameter } from './neon-spec.js';
import type { OpenApiSchema, SchemaIssue } from './openapi-schema-validator.js';

/**
 * Checks a request against its spec operation — path and query parameters, then the JSON body
 * (closed: undeclared fields are rejected) — and answers one 400 naming every bad field.
 */
export function parseNeonRequest(
  request: SandboxRequest,
  rawParams: Record<string, string>,
  operation: SpecOperation,
  spec: NeonSpec,
): NeonCall {
  const issues: SchemaIssue[] = [];
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawParams)) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw neonError.invalid(`${name}: malformed percent-encoding in the path`);
    }
    params[name] = value;
    const schema = parameter(operation, name, 'path')?.schema;
    if (schema) issues.push(...spec.validate(schema, value, name, true));
  }

  const query: Record<string, unknown> = {};
  for (const name of new Set(request.query.keys())) {
    const declared = parameter(operation, name, 'query');
    if (!declared) {
      issues.push({ path: name, message: 'is not a known query parameter' });
      continue;
    }
    const value = coerce(request.query.get(name) ?? '', declared.schema, spec);
    query[name] = value;
    if (declared.schema) issues.push(...spec.validate(declared.schema, value, name, true));
  }
  for (const declared of operation.parameters) {
    if (declared.in === 'query' && declared.required && !request.query.has(declared.name))
      issues.push({ path: declared.name, message: 'is a required query parameter' });
  }

  let body: Record<string, unknown> = {};
  if (operation.requestBody) {
    if (request.body.trim() === '') {
      if (operation.requestBody.required)
        issues.push({ path: '(body)', message: 'a JSON request body is required' });
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.body);
      } catch {
        throw neonError.invalid('request body is not valid JSON');
      }
      issues.push(...spec.validate(operation.requestBody.schema, parsed, '', true));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    }
  }

  if (issues.length > 0) {
    throw neonError.invalid(
      `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
  }
  return { params, query, body };
}

function parameter(
  operation: SpecOperation,
  name: string,
  where: 'path' | 'query',
): SpecParameter | undefined {
  return operation.parameters.find((p) => p.name === name && p.in === where);
}

/** Query strings arrive as text: turn them into the type the spec declares, when they parse as one. */
function coerce(value: string, schema: OpenApiSchema | undefined, spec: NeonSpec): unknown {
  const target = schema?.$ref ? spec.resolve(schema.$ref) : schema;
  switch (target?.type) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
      return value === '' ? [] : value.split(',');
    default:
      return value;
  }
}
