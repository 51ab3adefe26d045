import { describe, expect, it } from 'vitest';
import { fargateSizeIssues, normalizeCpu, normalizeMemory } from './fargate-size.js';

describe('Fargate sizes', () => {
  it('normalizes the spellings ECS accepts and returns', () => {
    expect(normalizeCpu('256')).toBe(256);
    expect(normalizeCpu('0.25 vCPU')).toBe(256);
    expect(normalizeCpu('1 vcpu')).toBe(1024);
    expect(normalizeMemory('512')).toBe(512);
    expect(normalizeMemory('0.5GB')).toBe(512);
    expect(normalizeMemory('2 GB')).toBe(2048);
    expect(normalizeMemory(1024)).toBe(1024);
  });

  it('accepts valid pairs and names the allowed values for invalid ones', () => {
    expect(fargateSizeIssues(256, 512)).toEqual([]);
    expect(fargateSizeIssues('1 vCPU', '8 GB')).toEqual([]);
    expect(fargateSizeIssues(300, 512)).toEqual([
      expect.objectContaining({ path: ['cpu'], allowed: [256, 512, 1024, 2048, 4096, 8192, 16384] }),
    ]);
    expect(fargateSizeIssues(256, 4096)).toEqual([
      expect.objectContaining({ path: ['memory'], allowed: [512, 1024, 2048] }),
    ]);
  });
});
