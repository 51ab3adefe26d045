import { createEngine, MemoryStore, outputRef, type ResourceSpec } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { neon } from '../src/index.js';

// Against the real Neon API: skipped unless PATCHBAY_LIVE_NEON=1 and NEON_API_KEY are set. It creates one
// project (free tier: fits the free plan's project/branch/compute limits; 0.25 CU computes that suspend after
// 5 minutes, a few cents of compute at most on paid plans) and deletes it at the end.
const live = process.env.PATCHBAY_LIVE_NEON === '1' && !!process.env.NEON_API_KEY;

describe.skipIf(!live)('neon provider against the real API', () => {
  it('creates a project, branch and endpoint, patches max CU, and deletes the project', {
    timeout: 600_000,
  }, async () => {
    const name = `patchbay-live-${Date.now().toString(36)}`;
    const provider = neon({ apiKey: process.env.NEON_API_KEY!, pollIntervalMs: 2000 });
    const store = new MemoryStore();
    const engine = createEngine({ environment: name, providers: [provider], store });
    const graph = (maxCu: number): ResourceSpec[] => [
      { id: 'db/neon/project', type: 'neon.project', name, attributes: { historyRetentionSeconds: 21_600 } },
      {
        id: 'db/neon/branch',
        type: 'neon.branch',
        name,
        attributes: {
          project: outputRef('db/neon/project', 'id'),
          parent: outputRef('db/neon/project', 'defaultBranchId'),
        },
      },
      {
        id: 'db/neon/endpoint',
        type: 'neon.endpoint',
        name,
        attributes: {
          project: outputRef('db/neon/project', 'id'),
          branch: outputRef('db/neon/branch', 'id'),
          minCu: 0.25,
          maxCu,
          suspendTimeoutSeconds: 300,
        },
      },
    ];
    try {
      expect((await engine.apply(await engine.plan(graph(0.25)))).ok).toBe(true);
      expect((await engine.apply(await engine.plan(graph(0.5)))).ok).toBe(true);
      expect((await engine.plan(graph(0.5))).empty).toBe(true);
    } finally {
      const state = await store.read(name);
      const project = state.resources['db/neon/project'];
      if (project?.physicalId) {
        await provider.types['neon.project']!.delete!(
          {
            id: 'db/neon/project',
            type: 'neon.project',
            name,
            physicalId: project.physicalId,
            environment: name,
          },
          { signal: new AbortController().signal, progress: () => {} },
        );
      }
    }
  });
});
