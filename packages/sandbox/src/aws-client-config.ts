/** Options for an AWS SDK v3 client pointed at a sandbox (ECS, RDS and EKS clients need nothing else). */
export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Client options for any AWS SDK v3 client talking to the sandbox.
 *
 * @example
 * const ecs = new ECSClient(awsClientConfig(sandbox));
 */
export function awsClientConfig(sandbox: { url: string }, region = 'us-east-1'): AwsClientConfig {
  // Dummy credentials: the SDK signs requests (the sandbox routes by the SigV4 scope) but nothing checks them.
  return {
    endpoint: sandbox.url,
    region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  };
}
