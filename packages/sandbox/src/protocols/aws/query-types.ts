import { z } from 'zod';

// AWS Query sends every scalar as text: these schemas accept the text form and reject anything else.

/** An integer sent as text (`AllocatedStorage=20`). */
export const queryInt = z.preprocess(
  (value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value),
  z.number({ error: 'expected an integer' }).int(),
);

/** A boolean sent as `true` / `false`. */
export const queryBool = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'expected true or false' }),
);

/** A list sent as `Name.Member.1=…`; `Name=` (empty) is the empty list. */
export function queryList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === '' ? [] : value), z.array(item));
}
