import type { StatusCause } from './kubernetes-errors.js';
import type { ResourceType } from './kubernetes-resource-types.js';

type Json = Record<string, unknown>;

/** Builders for Status causes, worded as kube-apiserver's field errors. */
export const cause = {
  required: (field: string, detail = ''): StatusCause => ({
    reason: 'FieldValueRequired',
    message: `Required value${detail ? `: ${detail}` : ''}`,
    field,
  }),
  invalid: (field: string, value: unknown, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  }),
  notSupported: (field: string, value: unknown, allowed: readonly string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    field,
  }),
  duplicate: (field: string, value: unknown): StatusCause => ({
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${JSON.stringify(value)}`,
    field,
  }),
  immutable: (field: string, value: unknown): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: field is immutable`,
    field,
  }),
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Name rules per kind: namespaces are DNS-1123 labels, services DNS-1035 labels, the rest subdomains. */
export function nameCauses(type: ResourceType, name: unknown, field = 'metadata.name'): StatusCause[] {
  if (typeof name !== 'string' || name === '')
    return [cause.required(field, 'name or generateName is required')];
  if (type.kind === 'Namespace' && !isDns1123Label(name)) {
    return [
      cause.invalid(
        field,
        name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      ),
    ];
  }
  if (type.kind === 'Service' && !(name.length <= 63 && DNS1035_LABEL.test(name))) {
    return [
      cause.invalid(
        field,
        name,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      ),
    ];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      cause.invalid(
        field,
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    ];
  }
  return [];
}

/** Label keys (optional DNS prefix + name ≤ 63) and values (≤ 63, alphanumeric edges). */
export function labelCauses(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined) return [];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels as Json)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (
      (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) ||
      name.length > 63 ||
      !LABEL_NAME.test(name)
    ) {
      causes.push(
        cause.invalid(
          field,
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
    if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
      causes.push(
        cause.invalid(
          `${field}`,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  return causes;
}

/** Metadata rules shared by every kind. */
export function metadataCauses(type: ResourceType, object: Json): StatusCause[] {
  const metadata = (object.metadata ?? {}) as Json;
  return [...nameCauses(type, metadata.name), ...labelCauses(metadata.labels, 'metadata.labels')];
}

/** Keys of ConfigMap / Secret data. */
export function configKeyCauses(data: unknown, field: string): StatusCause[] {
  if (data === undefined) return [];
  return Object.keys(data as Json)
    .filter((key) => key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(key))
    .map((key) =>
      cause.invalid(
        `${field}[${key}]`,
        key,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      ),
    );
}
