import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseCpu, parseMemory } from './cloud-run-size.js';

describe('Cloud Run cpu and memory normalization', () => {
  it('reads cpu quantities as vCPU', () => {
    expect(parseCpu('1000m')).toBe(1);
    expect(parseCpu('250m')).toBe(0.25);
    expect(parseCpu('2')).toBe(2);
    expect(parseCpu('0.5')).toBe(0.5);
    expect(parseCpu(0.25)).toBe(0.25);
    expect(parseCpu('lots')).toBe('lots');
  });

  it('reads memory quantities as MiB', () => {
    expect(parseMemory('512Mi')).toBe(512);
    expect(parseMemory('1Gi')).toBe(1024);
    expect(parseMemory('536870912')).toBe(512);
    expect(parseMemory('512M')).toBe(488);
    expect(parseMemory(2048)).toBe(2048);
    expect(parseMemory('big')).toBe('big');
  });

  it('writes what it reads back', () => {
    for (const cpu of [0.08, 0.25, 0.5, 1, 2, 4]) expect(parseCpu(formatCpu(cpu))).toBe(cpu);
    for (const memory of [128, 512, 1024, 1536, 2048, 32768])
      expect(parseMemory(formatMemory(memory))).toBe(memory);
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatMemory(2048)).toBe('2Gi');
  });
});
