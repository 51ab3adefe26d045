import { z } from 'zod';

/**
 * The feature-flags API's wire shapes, shared by its sandbox endpoint and the provider (a real target would
 * publish these in its API reference).
 */
export const valueTypes = ['boolean', 'string', 'number'] as const;
export type ValueType = (typeof valueTypes)[number];

export const wireTagSchema = z
  .object({ key: z.string().min(1).max(64), value: z.string().max(256) })
  .strict();
export type WireTag = z.infer<typeof wireTagSchema>;

/** `POST /flags/v1/projects/{project}/flags` */
export const createFlagSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens, starting with a letter'),
    valueType: z.enum(valueTypes),
    enabled: z.boolean().optional(),
    /** Share of traffic served the flag, in basis points (100 = 1 %). */
    rolloutBasisPoints: z.number().int().min(0).max(10_000).optional(),
    description: z.string().max(500).optional(),
    defaultValue: z.union([z.boolean(), z.string(), z.number()]).optional(),
    tags: z.array(wireTagSchema).max(50).optional(),
  })
  .strict();
export type CreateFlagBody = z.infer<typeof createFlagSchema>;

/** `PATCH …/flags/{key}` with `If-Match: <version>`: only the fields sent change; `tags` merges by key, `null` removes. */
export const updateFlagSchema = z
  .object({
    valueType: z.enum(valueTypes).optional(),
    enabled: z.boolean().optional(),
    rolloutBasisPoints: z.number().int().min(0).max(10_000).optional(),
    description: z.string().max(500).optional(),
    defaultValue: z.union([z.boolean(), z.string(), z.number()]).optional(),
    tags: z.record(z.string().min(1).max(64), z.string().max(256).nullable()).optional(),
  })
  .strict();
export type UpdateFlagBody = z.infer<typeof updateFlagSchema>;

/** A flag as the API returns it. */
export interface WireFlag {
  /** `projects/{project}/flags/{key}` */
  name: string;
  key: string;
  valueType: ValueType;
  enabled: boolean;
  rolloutBasisPoints: number;
  description: string;
  defaultValue: boolean | string | number;
  /** In the order they were added. */
  tags: WireTag[];
  /** Changes on every write (console edits included); send it back as `If-Match`. */
  version: string;
}

/** Every error body: `{ error: { code, message } }`. */
export interface WireError {
  error: { code: string; message: string };
}
