import type { ValidationIssue } from '../errors/index.js';

/** Which cloud each choice needs; Neon and existing clusters given by kubeconfig work with both. */
const NEEDS_CLOUD: Record<string, 'aws' | 'gcp'> = {
  fargate: 'aws',
  'cloud-run': 'gcp',
  rds: 'aws',
  'cloud-sql': 'gcp',
  eks: 'aws',
  gke: 'gcp',
};

/**
 * "Fargate, RDS and EKS need AWS; Cloud Run, Cloud SQL and GKE need GCP". Reads the raw input
 * defensively so the rule is reported even when other fields of the environment are invalid too.
 */
export function cloudCompatibilityIssues(input: unknown): ValidationIssue[] {
  const env = asRecord(input);
  const provider = asRecord(env.cloud).provider;
  if (provider !== 'aws' && provider !== 'gcp') return [];
  const issues: ValidationIssue[] = [];
  const need = (choice: unknown, path: string[], what: 'compute' | 'database') => {
    if (typeof choice !== 'string') return;
    const cloud = NEEDS_CLOUD[choice];
    if (cloud === undefined || cloud === provider) return;
    issues.push({
      path,
      message: `${choice} runs on ${cloud}, but cloud.provider is ${provider}`,
      received: choice,
      allowed: choicesFor(provider, what),
    });
  };
  const compute = asRecord(env.compute);
  if (compute.kind !== 'kubernetes') need(compute.kind, ['compute', 'kind'], 'compute');
  else {
    const cluster = asRecord(compute.cluster);
    if (cluster.mode === 'new') need(cluster.platform, ['compute', 'cluster', 'platform'], 'compute');
    if (cluster.mode === 'existing')
      need(
        asRecord(cluster.clusterRef).platform,
        ['compute', 'cluster', 'clusterRef', 'platform'],
        'compute',
      );
  }
  need(asRecord(env.database).kind, ['database', 'kind'], 'database');
  return issues;
}

function choicesFor(provider: 'aws' | 'gcp', what: 'compute' | 'database'): string[] {
  if (what === 'database') return provider === 'aws' ? ['rds', 'neon'] : ['cloud-sql', 'neon'];
  return provider === 'aws'
    ? ['fargate', 'kubernetes on eks or an existing cluster']
    : ['cloud-run', 'kubernetes on gke or an existing cluster'];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
