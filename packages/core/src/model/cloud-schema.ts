import { z } from 'zod';
import { patternString, strictObject } from './strict-object.js';

const awsRegion = patternString(
  /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
  'an AWS region such as "eu-west-1"',
);
const gcpRegion = patternString(/^[a-z]+-[a-z]+\d{1,2}$/, 'a GCP region such as "europe-west1"');

/** Existing AWS networking to deploy into; Patchbay creates none of it. */
export const awsNetworkSchema = strictObject({
  vpcId: patternString(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id such as "vpc-0a1b2c3d"').optional(),
  subnets: z
    .array(patternString(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as "subnet-0a1b2c3d"'))
    .optional(),
  securityGroups: z
    .array(patternString(/^sg-[0-9a-f]{8,17}$/, 'a security group id such as "sg-0a1b2c3d"'))
    .optional(),
  /** Give Fargate tasks a public IP (needed in public subnets without a NAT gateway). @default false */
  assignPublicIp: z.boolean().optional(),
});

/** AWS account and region. */
export const awsCloudSchema = strictObject({
  provider: z.literal('aws'),
  /** @example 'eu-west-1' */
  region: awsRegion,
  /** 12-digit account id; when set, Patchbay refuses to act with credentials for another account. */
  account: patternString(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
  network: awsNetworkSchema.optional(),
});

/** Existing GCP networking (VPC network and subnetwork names or self links). */
export const gcpNetworkSchema = strictObject({
  network: z.string().min(1).optional(),
  subnetwork: z.string().min(1).optional(),
});

/** GCP project and region. */
export const gcpCloudSchema = strictObject({
  provider: z.literal('gcp'),
  /** @example 'acme-prod' */
  project: patternString(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    'a GCP project id (6-30 lowercase letters, digits, hyphens)',
  ),
  /**
   * The numeric project number. Cloud Run URLs are `https://<service>-<projectNumber>.<region>.run.app`,
   * so remote URLs of Cloud Run processes can only be computed up front with it.
   */
  projectNumber: patternString(/^\d{6,20}$/, 'a numeric GCP project number').optional(),
  /** @example 'europe-west1' */
  region: gcpRegion,
  network: gcpNetworkSchema.optional(),
});

export const cloudSchema = z.discriminatedUnion('provider', [awsCloudSchema, gcpCloudSchema]);

export type Cloud = z.infer<typeof cloudSchema>;
export type CloudInput = z.input<typeof cloudSchema>;
