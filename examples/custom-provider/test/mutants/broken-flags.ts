import type { Provider, ResourceType } from '@patchbay/core';
import type { Sandbox } from '@patchbay/sandbox';
import { flags } from '../../src/index.js';

/**
 * A flags provider with one behaviour broken, to show the conformance suite catches it. Each mutant file
 * runs `testProvider` against one of these; `conformance-catches-mutants.test.ts` checks what failed.
 */
export function brokenFlags(
  sandbox: Sandbox,
  breakType: (type: ResourceType, provider: Provider) => Partial<ResourceType>,
): Provider {
  const provider = flags({ endpoint: sandbox.url, project: 'demo' });
  const type = provider.types['flags.flag']!;
  return { ...provider, types: { 'flags.flag': { ...type, ...breakType(type, provider) } } };
}
