import { describe, expect, it } from 'vitest';
import {
  cpuFromQuantity,
  cpuQuantity,
  memoryFromQuantity,
  memoryQuantity,
  parseQuantity,
} from './resource-quantity.js';

describe('resource quantities', () => {
  it('reads CPU in vCPU whatever the notation', () => {
    for (const q of ['500m', '0.5', 0.5, '5e-1']) expect(cpuFromQuantity(q)).toBe(0.5);
    expect(cpuFromQuantity('2')).toBe(2);
    expect(cpuFromQuantity('100m')).toBe(0.1);
  });

  it('reads memory in MiB whatever the notation', () => {
    for (const q of ['512Mi', '0.5Gi', '524288Ki', '536870912']) expect(memoryFromQuantity(q)).toBe(512);
    expect(memoryFromQuantity('1G')).toBe(953.674316);
  });

  it('writes canonical quantities that read back to the same number', () => {
    for (const v of [0.25, 0.5, 1, 2, 1.5]) expect(cpuFromQuantity(cpuQuantity(v))).toBe(v);
    expect(cpuQuantity(0.25)).toBe('250m');
    expect(cpuQuantity(2)).toBe('2');
    for (const v of [512, 1024, 0.5]) expect(memoryFromQuantity(memoryQuantity(v))).toBe(v);
    expect(memoryQuantity(1024)).toBe('1024Mi');
  });

  it('rejects what is not a quantity', () => {
    for (const q of ['', 'lots', '5 Mi', '1Qi', null, {}]) expect(parseQuantity(q)).toBeUndefined();
  });
});
