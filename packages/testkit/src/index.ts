/** @module @patchbay/testkit — `testProvider()`: the conformance suite every Patchbay provider plugin runs against the sandbox. */
export type { RecordedCall } from './recording-provider.js';
export { testProvider } from './test-provider.js';
export type {
  ConsoleEdit,
  FixturePatch,
  OutOfBandEdit,
  ProviderCapabilities,
  ResourceFixture,
  TestProviderOptions,
  ThrottlingCapability,
} from './test-provider-options.js';
