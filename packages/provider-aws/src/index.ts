/** @module @patchbay/provider-aws — Patchbay provider for AWS: ECS on Fargate, RDS for PostgreSQL, EKS. */
export { type AwsOptions, aws } from './aws-provider.js';
export {
  CLOUDFORMATION_STACK_TAG,
  managedByFromTags,
  OWNERSHIP_TAG_KEYS,
  ownershipTags,
} from './aws-tags.js';
export { awsErrorCode, classifyAwsError } from './classify-aws-error.js';
export { type EksKubeconfigInput, eksKubeconfig } from './kubeconfig.js';
