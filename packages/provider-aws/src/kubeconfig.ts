/** What a kubeconfig for an EKS cluster needs. */
export interface EksKubeconfigInput {
  /** Cluster name, as `aws eks get-token --cluster-name` expects it. */
  name: string;
  /** API server URL (`https://…eks.amazonaws.com`). */
  endpoint: string;
  /** Base64 PEM of the cluster CA, as DescribeCluster returns it. */
  certificateAuthority: string;
  region: string;
}

/**
 * A kubeconfig (YAML) for an EKS cluster whose user authenticates with the standard exec plugin,
 * `aws eks get-token --cluster-name <name> --region <region>`: no token is stored, each kubectl or
 * client call mints a short-lived one from the caller's AWS credentials.
 */
export function eksKubeconfig(input: EksKubeconfigInput): string {
  // Double-quoted YAML scalars are JSON strings: JSON.stringify quotes any value safely.
  const q = (value: string) => JSON.stringify(value);
  const args = ['eks', 'get-token', '--cluster-name', input.name, '--region', input.region];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${q(input.name)}`,
    '    cluster:',
    `      server: ${q(input.endpoint)}`,
    `      certificate-authority-data: ${q(input.certificateAuthority)}`,
    'contexts:',
    `  - name: ${q(input.name)}`,
    '    context:',
    `      cluster: ${q(input.name)}`,
    `      user: ${q(input.name)}`,
    `current-context: ${q(input.name)}`,
    'users:',
    `  - name: ${q(input.name)}`,
    '    user:',
    '      exec:',
    '        apiVersion: "client.authentication.k8s.io/v1beta1"',
    '        command: "aws"',
    '        args:',
    ...args.map((a) => `          - ${q(a)}`),
    '        interactiveMode: "IfAvailable"',
    '',
  ].join('\n');
}
