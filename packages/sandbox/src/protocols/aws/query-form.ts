/** A parsed AWS Query request: `Action`, `Version`, and the remaining parameters as a JSON tree. */
export interface QueryForm {
  action: string;
  version: string | undefined;
  params: Record<string, unknown>;
}

/**
 * Parses an AWS Query body (`Action=ModifyDBInstance&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1&Tags.Tag.1.Key=k`)
 * into `{ VpcSecurityGroupIds: ['sg-1'], Tags: [{ Key: 'k' }] }`. Lists are recognised by their numeric
 * index, whatever the member name (`member`, `Tag`, `VpcSecurityGroupId`); an empty value for a list
 * name (`VpcSecurityGroupIds=`) is kept as `''`, which list schemas read as `[]`. Scalars stay strings.
 */
export function parseQueryForm(body: string): QueryForm {
  const form = new URLSearchParams(body);
  const tree: Record<string, unknown> = {};
  let action = '';
  let version: string | undefined;
  for (const [key, value] of form) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    else insert(tree, key.split('.'), value);
  }
  return { action, version, params: collapse(tree) as Record<string, unknown> };
}

function insert(tree: Record<string, unknown>, path: string[], value: string): void {
  let node = tree;
  for (const [index, segment] of path.entries()) {
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next !== 'object' || next === null) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
}

/** `{ Tag: { 1: x, 2: y } }` → `[x, y]`; `{ 1: x }` → `[x]`; recursively. */
function collapse(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => collapse(value));
  }
  if (entries.length === 1) {
    const [, only] = entries[0]!;
    if (typeof only === 'object' && only !== null) {
      const inner = Object.keys(only);
      if (inner.length > 0 && inner.every((key) => /^\d+$/.test(key))) return collapse(only);
    }
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, collapse(value)]));
}
