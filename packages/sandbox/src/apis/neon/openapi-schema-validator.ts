/**
 * A validator for the subset of OpenAPI 3.0 schema objects the Neon spec uses: `$ref`, `type` +
 * `nullable`, `properties` / `required` / `additionalProperties` / `maxProperties`, `items` /
 * `minItems` / `maxItems`, `enum`, `pattern`, `minLength` / `maxLength`, `minimum` / `maximum`,
 * `format` (date-time, uuid, email, int32, int64), `allOf` and `oneOf`. Annotations (`description`,
 * `example`, `deprecated`, `x-*`, `discriminator`) are ignored.
 *
 * Hand-written rather than Ajv because `closed` checking must see through `allOf` (a property
 * declared in any part is known), which plain JSON Schema `additionalProperties: false` cannot express.
 */

/** An OpenAPI 3.0 schema object (only the keywords this validator reads are typed). */
export interface OpenApiSchema {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  nullable?: boolean;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  maxProperties?: number;
  items?: OpenApiSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
}

/** One problem, with the dotted path of the offending value (`endpoint.autoscaling_limit_max_cu`). */
export interface SchemaIssue {
  path: string;
  message: string;
}

export interface SchemaValidationOptions {
  /**
   * Treat objects whose schema declares `properties` and no `additionalProperties` as closed:
   * undeclared fields are issues. The Neon spec never says `additionalProperties: false`, so
   * without this every unknown field would pass.
   */
  closed: boolean;
  /** Resolves `#/components/...` references. */
  resolve(ref: string): OpenApiSchema;
}

const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
};

const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern);
    patterns.set(pattern, regex);
  }
  return regex;
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Validates `value` against `schema`, returning every issue found (empty when valid). */
export function validateSchema(
  schema: OpenApiSchema,
  value: unknown,
  options: SchemaValidationOptions,
  path = '',
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, path, options, issues, true);
  return issues;
}

function check(
  schema: OpenApiSchema,
  value: unknown,
  path: string,
  options: SchemaValidationOptions,
  issues: SchemaIssue[],
  checkUnknown: boolean,
): void {
  const target = schema.$ref ? { ...options.resolve(schema.$ref), ...withoutRef(schema) } : schema;
  if (value === null) {
    if (!target.nullable && (target.type !== undefined || target.properties)) {
      issues.push({ path: label(path), message: 'must not be null' });
    }
    return;
  }
  for (const part of target.allOf ?? []) check(part, value, path, options, issues, false);
  if (target.oneOf) checkOneOf(target.oneOf, value, path, options, issues);
  if (target.type && !hasType(target.type, value)) {
    issues.push({ path: label(path), message: `expected ${target.type}, got ${describe(value)}` });
    return;
  }
  if (target.enum && !target.enum.includes(value)) {
    issues.push({
      path: label(path),
      message: `must be one of ${target.enum.map((e) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (typeof value === 'string') checkString(target, value, path, issues);
  else if (typeof value === 'number') checkNumber(target, value, path, issues);
  else if (Array.isArray(value)) checkArray(target, value, path, options, issues);
  else if (typeof value === 'object')
    checkObject(target, value as Record<string, unknown>, path, options, issues, checkUnknown);
}

function checkString(schema: OpenApiSchema, value: string, path: string, issues: SchemaIssue[]): void {
  if (schema.minLength !== undefined && value.length < schema.minLength)
    issues.push({ path: label(path), message: `must be at least ${schema.minLength} characters long` });
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    issues.push({ path: label(path), message: `must be at most ${schema.maxLength} characters long` });
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value))
    issues.push({ path: label(path), message: `must match ${schema.pattern}` });
  const format = schema.format ? FORMATS[schema.format] : undefined;
  if (format && !format(value))
    issues.push({ path: label(path), message: `must be a valid ${schema.format}` });
}

function checkNumber(schema: OpenApiSchema, value: number, path: string, issues: SchemaIssue[]): void {
  if (schema.minimum !== undefined && value < schema.minimum)
    issues.push({ path: label(path), message: `must be at least ${schema.minimum}` });
  if (schema.maximum !== undefined && value > schema.maximum)
    issues.push({ path: label(path), message: `must be at most ${schema.maximum}` });
  const range = schema.format ? INTEGER_RANGES[schema.format] : undefined;
  if (range && (value < range[0] || value > range[1]))
    issues.push({ path: label(path), message: `must fit ${schema.format}` });
}

function checkArray(
  schema: OpenApiSchema,
  value: unknown[],
  path: string,
  options: SchemaValidationOptions,
  issues: SchemaIssue[],
): void {
  if (schema.minItems !== undefined && value.length < schema.minItems)
    issues.push({ path: label(path), message: `must have at least ${schema.minItems} items` });
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    issues.push({ path: label(path), message: `must have at most ${schema.maxItems} items` });
  const items = schema.items;
  if (!items) return;
  for (const [index, item] of value.entries()) check(items, item, `${path}[${index}]`, options, issues, true);
}

function checkObject(
  schema: OpenApiSchema,
  value: Record<string, unknown>,
  path: string,
  options: SchemaValidationOptions,
  issues: SchemaIssue[],
  checkUnknown: boolean,
): void {
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
    issues.push({ path: label(path), message: `must have at most ${schema.maxProperties} properties` });
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) issues.push({ path: join(path, name), message: 'is required' });
  }
  const declared = schema.properties ?? {};
  const extra = schema.additionalProperties;
  for (const key of keys) {
    const property = declared[key];
    if (property) check(property, value[key], join(path, key), options, issues, true);
    else if (typeof extra === 'object') check(extra, value[key], join(path, key), options, issues, true);
  }
  if (!checkUnknown || extra === true || typeof extra === 'object') return;
  const known = knownProperties(schema, options);
  if (!known || (!options.closed && extra !== false)) return;
  for (const key of keys) {
    if (!known.has(key)) issues.push({ path: join(path, key), message: 'is not a known field' });
  }
}

/** Property names declared by a schema and its `allOf` parts; undefined when any part is open. */
function knownProperties(schema: OpenApiSchema, options: SchemaValidationOptions): Set<string> | undefined {
  const target = schema.$ref ? { ...options.resolve(schema.$ref), ...withoutRef(schema) } : schema;
  if (target.additionalProperties === true || typeof target.additionalProperties === 'object')
    return undefined;
  if (target.oneOf) return undefined;
  const names = new Set(Object.keys(target.properties ?? {}));
  for (const part of target.allOf ?? []) {
    const partNames = knownProperties(part, options);
    if (!partNames) return undefined;
    for (const name of partNames) names.add(name);
  }
  if (names.size === 0 && !target.properties && !target.allOf) return undefined;
  return names;
}

function checkOneOf(
  branches: OpenApiSchema[],
  value: unknown,
  path: string,
  options: SchemaValidationOptions,
  issues: SchemaIssue[],
): void {
  const matching = branches.filter((branch) => validateSchema(branch, value, options, path).length === 0);
  if (matching.length !== 1) {
    issues.push({
      path: label(path),
      message: `must match exactly one of ${branches.length} schemas (matched ${matching.length})`,
    });
  }
}

function hasType(type: NonNullable<OpenApiSchema['type']>, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** The kind of a value, never the value itself: a misplaced password must not be echoed. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return typeof value;
}

function withoutRef(schema: OpenApiSchema): OpenApiSchema {
  const { $ref: _ref, ...rest } = schema;
  return rest;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function label(path: string): string {
  return path || '(body)';
}
