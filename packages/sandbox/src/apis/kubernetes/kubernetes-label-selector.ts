import { k8sError } from './kubernetes-errors.js';

/** One requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * Parses a `labelSelector` query string: equality (`a=b`, `a==b`, `a!=b`) and set-based
 * (`a in (x,y)`, `a notin (x)`, `a`, `!a`) requirements, comma-separated (all must hold).
 * A malformed selector is a 400, as kube-apiserver answers.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const text = part.trim();
    if (text === '') continue;
    requirements.push(parseRequirement(text));
  }
  return requirements;
}

function parseRequirement(text: string): LabelRequirement {
  const set = text.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/);
  if (set) {
    const values = set[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { key: set[1]!, operator: set[2] === 'in' ? 'In' : 'NotIn', values };
  }
  const equality = text.match(/^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/);
  if (equality) {
    return { key: equality[1]!, operator: equality[2] === '!=' ? 'NotIn' : 'In', values: [equality[3]!] };
  }
  const absent = text.match(/^!\s*([^\s!=(),]+)$/);
  if (absent) return { key: absent[1]!, operator: 'DoesNotExist', values: [] };
  const present = text.match(/^([^\s!=(),]+)$/);
  if (present) return { key: present[1]!, operator: 'Exists', values: [] };
  throw k8sError.badRequest(`unable to parse requirement: ${JSON.stringify(text)}: found unexpected token`);
}

/** The requirements of a `metav1.LabelSelector` object (matchLabels + matchExpressions). */
export function selectorRequirements(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelRequirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
      key,
      operator: 'In' as const,
      values: [value],
    })),
    ...(selector.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator as LabelRequirement['operator'],
      values: e.values ?? [],
    })),
  ];
}

export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Record<string, string> = {},
): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(labels[r.key]!);
      case 'NotIn':
        return !has || !r.values.includes(labels[r.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
