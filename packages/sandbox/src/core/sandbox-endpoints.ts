/** Ready-to-use client options for each cloud, pointing at one sandbox. */
export interface SandboxEndpoints {
  /** AWS SDK v3 `endpoint` option (ECS, RDS, EKS): `http://127.0.0.1:PORT`. */
  aws: string;
  /** Google client options (Cloud Run, Cloud SQL, GKE); add an `authClient` stub and `fallback: true`. */
  gcp: { apiEndpoint: string; port: number; protocol: 'http' };
  /** Kubernetes API server URL for a kubeconfig cluster (`skipTLSVerify: true`). */
  kubernetes: { server: string };
  /** Neon `createApiClient({ baseURL })`. */
  neon: { baseURL: string };
}

export function sandboxEndpoints(host: string, port: number): SandboxEndpoints {
  const url = `http://${host}:${port}`;
  return {
    aws: url,
    gcp: { apiEndpoint: host, port, protocol: 'http' },
    kubernetes: { server: url },
    neon: { baseURL: `${url}/api/v2` },
  };
}
