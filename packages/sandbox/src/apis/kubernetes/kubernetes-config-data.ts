import type { StatusCause } from './kubernetes-errors.js';
import { asObject, type Json, type KindStrategy } from './kubernetes-kind-strategy.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';
import { cause, configKeyCauses } from './kubernetes-validation.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_BYTES = 1024 * 1024;
const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `immutable: true` freezes data, and itself. */
function immutableCauses(object: Json, previous: Json | undefined, fields: readonly string[]): StatusCause[] {
  if (previous?.immutable !== true) return [];
  const causes: StatusCause[] = [];
  if (object.immutable !== true) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: field is immutable when `immutable` is set',
      field: 'immutable',
    });
  }
  for (const field of fields) {
    if (!equal(object[field] ?? {}, previous[field] ?? {})) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field,
      });
    }
  }
  return causes;
}

function sizeCauses(values: unknown[]): StatusCause[] {
  const bytes = values.reduce<number>((sum, v) => sum + Buffer.byteLength(String(v)), 0);
  return bytes > MAX_BYTES
    ? [{ reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_BYTES} bytes`, field: '' }]
    : [];
}

/** core/v1 ConfigMaps: key rules, 1 MiB limit, `immutable`. */
export const configMapStrategy: KindStrategy = {
  type: RESOURCE_TYPES.find((t) => t.kind === 'ConfigMap')!,
  defaults() {},
  validate(object, previous) {
    const data = asObject(object.data);
    const binary = asObject(object.binaryData);
    const causes = [
      ...configKeyCauses(object.data, 'data'),
      ...configKeyCauses(object.binaryData, 'binaryData'),
    ];
    for (const key of Object.keys(binary)) if (key in data) causes.push(cause.duplicate(`data[${key}]`, key));
    return [
      ...causes,
      ...sizeCauses([...Object.values(data), ...Object.values(binary)]),
      ...immutableCauses(object, previous, ['data', 'binaryData']),
    ];
  },
};

/**
 * core/v1 Secrets: `stringData` is folded into base64 `data` and dropped, as the server does; `data`
 * values must be base64; `type` (default Opaque) is immutable. Values never appear in errors.
 */
export const secretStrategy: KindStrategy = {
  type: RESOURCE_TYPES.find((t) => t.kind === 'Secret')!,
  defaults(object) {
    object.type ??= 'Opaque';
    if (object.stringData !== undefined) {
      const data = { ...asObject(object.data) };
      for (const [key, value] of Object.entries(asObject(object.stringData))) {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
      object.data = data;
      delete object.stringData;
    }
  },
  validate(object, previous) {
    const data = asObject(object.data);
    const causes = configKeyCauses(object.data, 'data');
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        causes.push(cause.invalid(`data[${key}]`, '<secret contents redacted>', 'illegal base64 data'));
      }
    }
    if (previous && previous.type !== object.type) causes.push(cause.immutable('type', object.type));
    return [...causes, ...sizeCauses(Object.values(data)), ...immutableCauses(object, previous, ['data'])];
  },
};
