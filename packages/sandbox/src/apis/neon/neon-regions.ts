import { neonError } from './neon-errors.js';

/** Region of projects created without `region_id`. */
export const NEON_DEFAULT_REGION = 'aws-us-east-2';

/** Regions Neon offers (AWS and Azure), as `region_id` values. */
export const NEON_REGIONS: readonly string[] = [
  'aws-us-east-1',
  'aws-us-east-2',
  'aws-us-west-2',
  'aws-eu-central-1',
  'aws-eu-west-2',
  'aws-ap-southeast-1',
  'aws-ap-southeast-2',
  'aws-sa-east-1',
  'azure-eastus2',
  'azure-westus3',
  'azure-gwc',
];

export function checkRegion(region: string, field: string): void {
  if (!NEON_REGIONS.includes(region)) {
    throw neonError.invalid(`${field}: unsupported region ${region}; allowed: ${NEON_REGIONS.join(', ')}`);
  }
}

/** `aws-us-east-2` → `us-east-2.aws.neon.tech` (the project's proxy host). */
export function regionHost(region: string): string {
  const [provider, ...rest] = region.split('-');
  return `${rest.join('-')}.${provider}.neon.tech`;
}
