import { ValidationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { aws } from './aws-provider.js';

describe('aws()', () => {
  it('returns the provider with every type, per-API limits and error classification', () => {
    const provider = aws({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(provider.name).toBe('aws');
    expect(Object.keys(provider.types).sort()).toEqual([
      'aws.ecs.cluster',
      'aws.ecs.service',
      'aws.ecs.task-definition',
      'aws.eks.cluster',
      'aws.eks.nodegroup',
      'aws.rds.instance',
    ]);
    for (const type of Object.values(provider.types)) {
      expect(type.precondition).toBe('read-before-write');
      expect(type.maps).toContain('tags');
      expect(provider.limits?.[type.api!]).toBeDefined();
    }
    expect(provider.types['aws.rds.instance']).toMatchObject({ stateful: true });
    expect(provider.types['aws.eks.cluster']).toMatchObject({ stateful: true, serialUpdates: true });
    expect(provider.types['aws.eks.nodegroup']).toMatchObject({
      serialUpdates: true,
      maps: ['tags', 'labels'],
    });
  });

  it('rejects bad options with every issue named, before any client is built', () => {
    const attempt = () =>
      aws({ region: 'mars', endpoint: 'not a url', maxAttempts: 0, rds: { masterUsername: '1bad' } });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual([
        'region',
        'endpoint',
        'maxAttempts',
        'rds.masterUsername',
      ]);
    }
  });
});
