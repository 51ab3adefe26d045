import {
  type AttributeChange,
  type Attributes,
  ConflictError,
  type JsonValue,
  type Observed,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type WriteResult,
} from '@patchbay/core';
import { classifyFlagsError } from './classify-flags-error.js';
import { FlagsApiError, type FlagsClient } from './flags-client.js';
import { type CreateFlagBody, type UpdateFlagBody, valueTypes, type WireFlag } from './flags-wire.js';

/**
 * `flags.flag`: one feature flag. Attributes: `valueType` (`boolean | string | number`, immutable),
 * `enabled`, `rollout` (percent of traffic, 0–100, two decimals), `description`, `defaultValue`, and
 * `tags` (a map: each key is owned on its own, so tags added in the console are kept).
 * Outputs: `name` (`projects/{project}/flags/{key}`). The flag key is the resource's name.
 */
export function flagType(client: FlagsClient): ResourceType {
  return {
    precondition: 'version',
    immutable: ['valueType'],
    maps: ['tags'],
    api: 'flags',
    classifyError: classifyFlagsError,
    normalize: (attribute, value) =>
      // The API keeps basis points: 12.345 % is stored, and read back, as 12.35 %.
      attribute === 'rollout' && typeof value === 'number' ? Math.round(value * 100) / 100 : value,

    async observe(ref, ctx) {
      const flag = await client.get(ref.name, ctx.signal);
      return flag && toObserved(flag);
    },

    async create({ ref, attributes, idempotencyToken }, ctx) {
      const { valueType, tags, ...rest } = attributes;
      if (tags !== undefined && !isStringMap(tags)) throw invalid(ref, 'tags', tags, 'a map of strings');
      const fields = updateBody(
        ref,
        Object.entries(rest).map(([attribute, to]) => ({ attribute, from: undefined, to })),
      );
      const body: CreateFlagBody = {
        key: ref.name,
        valueType: valueTypeOf(ref, valueType),
        ...(fields.enabled !== undefined ? { enabled: fields.enabled } : {}),
        ...(fields.rolloutBasisPoints !== undefined ? { rolloutBasisPoints: fields.rolloutBasisPoints } : {}),
        ...(fields.description !== undefined ? { description: fields.description } : {}),
        ...(fields.defaultValue !== undefined ? { defaultValue: fields.defaultValue } : {}),
        tags: Object.entries(tags ?? {}).map(([key, value]) => ({ key, value })),
      };
      return toResult(await client.create(body, idempotencyToken, ctx.signal));
    },

    async patch(ref, changes, precondition, ctx) {
      let version: string;
      if (precondition.kind === 'version') version = precondition.version;
      else {
        // No token was observed: read now and refuse if an attribute about to change has moved.
        const current = await client.get(ref.name, ctx.signal);
        if (!current) throw new FlagsApiError(404, 'NOT_FOUND', `No flag ${ref.name}`);
        const live = toObserved(current).attributes;
        for (const { attribute } of changes) {
          const expected = precondition.expected[attribute];
          const actual = readPath(live, attribute);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new ConflictError(ref.id, attribute, expected, actual);
          }
        }
        version = current.version;
      }
      try {
        return toResult(await client.update(ref.name, updateBody(ref, changes), version, ctx.signal));
      } catch (error) {
        if (error instanceof FlagsApiError && error.status === 412) {
          const only = changes.length === 1 ? changes[0] : undefined;
          throw new ConflictError(ref.id, only?.attribute, only?.from, undefined, {
            cause: error,
            reason: 'the flag version moved',
          });
        }
        throw error;
      }
    },

    async delete(ref, ctx) {
      await client.delete(ref.name, ctx.signal);
    },
  };
}

/** The PATCH body for `changes`: only those fields, a tag key each (`null` removes one). */
function updateBody(ref: ResourceRef, changes: AttributeChange[]): UpdateFlagBody {
  const body: UpdateFlagBody = {};
  for (const { attribute, to } of changes) {
    if (attribute.startsWith('tags.')) {
      if (to !== undefined && typeof to !== 'string') throw invalid(ref, attribute, to, 'a string');
      body.tags = { ...body.tags, [attribute.slice(5)]: to ?? null };
      continue;
    }
    switch (attribute) {
      case 'tags':
        // A whole map only arrives in a create; patches name keys.
        break;
      case 'valueType':
        body.valueType = valueTypeOf(ref, to);
        break;
      case 'enabled':
        if (typeof to !== 'boolean') throw invalid(ref, attribute, to, 'true or false');
        body.enabled = to;
        break;
      case 'rollout':
        if (typeof to !== 'number' || to < 0 || to > 100)
          throw invalid(ref, attribute, to, 'a percentage, 0–100');
        body.rolloutBasisPoints = Math.round(to * 100);
        break;
      case 'description':
        body.description = to === undefined ? '' : String(to);
        break;
      case 'defaultValue':
        if (typeof to !== 'string' && typeof to !== 'number' && typeof to !== 'boolean') {
          throw invalid(ref, attribute, to, 'a boolean, string or number');
        }
        body.defaultValue = to;
        break;
      default:
        throw invalid(ref, attribute, to, 'valueType, enabled, rollout, description, defaultValue, tags');
    }
  }
  return body;
}

function toObserved(flag: WireFlag): Observed {
  const attributes: Attributes = {
    valueType: flag.valueType,
    enabled: flag.enabled,
    rollout: flag.rolloutBasisPoints / 100,
    description: flag.description,
    defaultValue: flag.defaultValue,
    tags: Object.fromEntries(flag.tags.map((t) => [t.key, t.value])),
  };
  return { physicalId: flag.name, attributes, version: flag.version, outputs: { name: flag.name } };
}

function toResult(flag: WireFlag): WriteResult {
  const { physicalId, version, outputs } = toObserved(flag);
  return { physicalId, version: version!, outputs: outputs! };
}

function readPath(attributes: Attributes, path: string): JsonValue | undefined {
  if (!path.startsWith('tags.')) return attributes[path];
  const tags = attributes.tags as Record<string, JsonValue>;
  return tags[path.slice(5)];
}

function valueTypeOf(ref: ResourceRef, value: JsonValue | undefined): (typeof valueTypes)[number] {
  if (typeof value === 'string' && (valueTypes as readonly string[]).includes(value)) {
    return value as (typeof valueTypes)[number];
  }
  throw invalid(ref, 'valueType', value, valueTypes.join(' | '));
}

function isStringMap(value: JsonValue | undefined): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function invalid(ref: ResourceRef, attribute: string, received: unknown, allowed: string): ValidationError {
  return new ValidationError(`Flag ${ref.id}`, [
    { path: ['attributes', attribute], message: 'is not valid', received, allowed },
  ]);
}
