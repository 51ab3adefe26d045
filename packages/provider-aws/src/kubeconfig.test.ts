import { describe, expect, it } from 'vitest';
import { eksKubeconfig } from './kubeconfig.js';

describe('eksKubeconfig', () => {
  it('renders a kubeconfig whose user runs `aws eks get-token --cluster-name <name> --region <region>`', () => {
    const text = eksKubeconfig({
      name: 'prod',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: 'LS0tQ0E=',
      region: 'eu-west-1',
    });
    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '  - name: "prod"',
        '    cluster:',
        '      server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com"',
        '      certificate-authority-data: "LS0tQ0E="',
        'contexts:',
        '  - name: "prod"',
        '    context:',
        '      cluster: "prod"',
        '      user: "prod"',
        'current-context: "prod"',
        'users:',
        '  - name: "prod"',
        '    user:',
        '      exec:',
        '        apiVersion: "client.authentication.k8s.io/v1beta1"',
        '        command: "aws"',
        '        args:',
        '          - "eks"',
        '          - "get-token"',
        '          - "--cluster-name"',
        '          - "prod"',
        '          - "--region"',
        '          - "eu-west-1"',
        '        interactiveMode: "IfAvailable"',
        '',
      ].join('\n'),
    );
  });

  it('quotes values safely', () => {
    const text = eksKubeconfig({
      name: 'a"b: c',
      endpoint: 'https://x',
      certificateAuthority: 'y',
      region: 'us-east-1',
    });
    expect(text).toContain('- name: "a\\"b: c"');
  });
});
