export { collectOutputRefs, resolveOutputRefs } from './output-refs.js';
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
