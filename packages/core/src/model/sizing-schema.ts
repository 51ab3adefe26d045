import { z } from 'zod';
import { CPU_VALUES } from './compute-limits.js';
import { oneOfNumbers, strictObject } from './strict-object.js';

/** vCPU per process instance. */
const cpu = oneOfNumbers(CPU_VALUES, 'cpu (vCPU)');
/** MiB per process instance. */
const memory = z.number().int().min(128).max(122880);
const instances = z.number().int().min(0).max(1000);

/** A per-service override: any subset of the base sizing. */
export const sizingOverrideSchema = strictObject({
  cpu: cpu.optional(),
  memory: memory.optional(),
  minInstances: instances.optional(),
  maxInstances: instances.min(1).optional(),
});

/**
 * Size and scaling of each process (unit). `cpu` is in vCPU (0.25, 0.5, 1, 2, 4, ...) and `memory` in MiB;
 * both are checked against what the compute kind accepts. `services` overrides the size of the
 * process that hosts the named service (a process hosting several takes the largest of each value).
 */
export const sizingSchema = strictObject({
  /** vCPU per instance. @default 0.5 */
  cpu: cpu.default(0.5),
  /** MiB per instance. @default 1024 */
  memory: memory.default(1024),
  /** @default 1 */
  minInstances: instances.default(1),
  /** @default 3 */
  maxInstances: instances.min(1).default(3),
  /** Per-service overrides, keyed by service name. @example { search: { cpu: 2, memory: 4096 } } */
  services: z.record(z.string(), sizingOverrideSchema).optional(),
});

export type Sizing = z.infer<typeof sizingSchema>;
export type SizingOverride = z.infer<typeof sizingOverrideSchema>;
export type SizingInput = z.input<typeof sizingSchema>;
