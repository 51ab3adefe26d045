import { ApiError } from '../../core/api-error.js';

/** One RFC 6902 operation. */
interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

const invalidPatch = (message: string) =>
  new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`, {
    details: {},
  });

/**
 * Applies a JSON patch (RFC 6902: add, remove, replace, move, copy, test) to a copy of `document`.
 * A malformed patch is a 400; a path that does not resolve or a failed `test` is a 422, as
 * kube-apiserver answers.
 */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw new ApiError(400, 'BadRequest', 'json patch must be a JSON array of operations');
  }
  let result = structuredClone(document);
  patch.forEach((raw, index) => {
    const op = parseOperation(raw, index);
    switch (op.op) {
      case 'add':
        result = set(result, pointer(op.path), structuredClone(op.value), 'add');
        break;
      case 'replace':
        get(result, pointer(op.path), op.path);
        result = set(result, pointer(op.path), structuredClone(op.value), 'replace');
        break;
      case 'remove':
        get(result, pointer(op.path), op.path);
        result = remove(result, pointer(op.path));
        break;
      case 'move': {
        const value = get(result, pointer(op.from!), op.from!);
        result = remove(result, pointer(op.from!));
        result = set(result, pointer(op.path), value, 'add');
        break;
      }
      case 'copy':
        result = set(
          result,
          pointer(op.path),
          structuredClone(get(result, pointer(op.from!), op.from!)),
          'add',
        );
        break;
      case 'test':
        if (JSON.stringify(get(result, pointer(op.path), op.path)) !== JSON.stringify(op.value)) {
          throw invalidPatch(`testing value ${op.path} failed: value does not match`);
        }
        break;
    }
  });
  return result;
}

function parseOperation(raw: unknown, index: number): Operation {
  const op = raw as Partial<Operation> | null;
  const ops = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
  if (typeof op !== 'object' || op === null || typeof op.op !== 'string' || !ops.includes(op.op)) {
    throw new ApiError(
      400,
      'BadRequest',
      `json patch operation ${index}: op must be one of ${ops.join(', ')}`,
    );
  }
  if (typeof op.path !== 'string') {
    throw new ApiError(400, 'BadRequest', `json patch operation ${index}: path must be a string`);
  }
  if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') {
    throw new ApiError(400, 'BadRequest', `json patch operation ${index}: ${op.op} needs from`);
  }
  if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !('value' in op)) {
    throw new ApiError(400, 'BadRequest', `json patch operation ${index}: ${op.op} needs value`);
  }
  return op as Operation;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw new ApiError(400, 'BadRequest', `invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function get(document: unknown, tokens: string[], path: string): unknown {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= current.length) throw invalidPatch(`path ${path} does not exist`);
      current = current[index];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else throw invalidPatch(`path ${path} does not exist`);
  }
  return current;
}

function set(document: unknown, tokens: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (tokens.length === 0) return value;
  const parentTokens = tokens.slice(0, -1);
  const last = tokens.at(-1)!;
  const parent = get(document, parentTokens, `/${parentTokens.join('/')}`);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length) throw invalidPatch(`index ${last} is out of range`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (parent !== null && typeof parent === 'object') {
    (parent as Record<string, unknown>)[last] = value;
  } else throw invalidPatch(`cannot set ${last} on a non-object`);
  return document;
}

function remove(document: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) return undefined;
  const parent = get(document, tokens.slice(0, -1), '');
  const last = tokens.at(-1)!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
  return document;
}
