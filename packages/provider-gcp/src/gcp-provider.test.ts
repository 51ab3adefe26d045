import { ValidationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { gcp } from './gcp-provider.js';

describe('gcp() options', () => {
  it('rejects bad options with every issue, before any client exists', () => {
    let error: unknown;
    try {
      gcp({
        project: 'Bad_Project',
        region: 'mars',
        port: 0,
        protocol: 'ftp' as 'http',
        pollIntervalMs: -1,
        waitTimeoutMs: { sql: 0 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual([
      'project',
      'region',
      'port',
      'protocol',
      'pollIntervalMs',
      'waitTimeoutMs.sql',
    ]);
  });

  it('builds a provider with per-API limits and real capabilities', () => {
    const provider = gcp({ project: 'demo-project', region: 'europe-west1', authClient: {} });
    expect(provider.name).toBe('gcp');
    expect(provider.limits?.cloudsql).toEqual({ concurrency: 4, ratePerSecond: 2 });
    const sql = provider.types['gcp.sql.instance']!;
    expect(sql).toMatchObject({
      precondition: 'version',
      stateful: true,
      serialUpdates: true,
      maps: ['labels'],
    });
    expect(provider.types['gcp.run.service']).toMatchObject({
      precondition: 'version',
      immutable: ['region'],
    });
  });
});
