export { DEFAULT_IMAGE, type DesiredResourcesOptions, desiredResources } from './desired-resources.js';
export { HPA_TARGET_CPU } from './kubernetes-resources.js';
export { NEON_ROLE } from './neon-resources.js';
export { collectOutputRefs, resolveOutputRefs } from './output-refs.js';
export { awsTags, gcpLabels } from './ownership-labels.js';
export {
  type Attributes,
  type DesiredAttributes,
  type DesiredValue,
  isOutputRef,
  type JsonValue,
  type OutputRef,
  outputRef,
  type ResourcePolicy,
  type ResourceSpec,
} from './resource-spec.js';
