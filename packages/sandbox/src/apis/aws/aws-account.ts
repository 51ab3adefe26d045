/** The account id every simulated AWS resource belongs to (AWS's documentation example account). */
export const AWS_ACCOUNT_ID = '123456789012';

/** `arn:aws:{service}:{region}:{account}:{resource}` */
export function awsArn(service: string, region: string, resource: string): string {
  return `arn:aws:${service}:${region}:${AWS_ACCOUNT_ID}:${resource}`;
}

/** Epoch seconds, the AWS JSON timestamp format. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
