import type { AllocationStrategy } from '../model/index.js';
import type { RuntimeConfig } from '../runtime/index.js';

/** Size and scaling of one process: `cpu` in vCPU, `memory` in MiB. */
export interface UnitSizing {
  cpu: number;
  memory: number;
  minInstances: number;
  maxInstances: number;
}

/** One deployable process and everything needed to run it. */
export interface Unit {
  /** Stable, DNS-safe name (at most 30 characters). */
  name: string;
  /** Hosted services, sorted. */
  services: string[];
  /** Hosts at least one public service, so the public gateway routes to it. */
  gateway: boolean;
  /** The public services it hosts. */
  publicServices: string[];
  sizing: UnitSizing;
  /** Port the process listens on; its services share it. @default 8080 */
  port: number;
  /** Image of the process, when its services name one. */
  image?: string;
  /** Databases its services use, sorted. */
  databases: string[];
  /** Base URL other processes use to reach it (see `unitBaseUrl`). */
  url: string;
  /** Handed to the process in `PATCHBAY_RUNTIME_CONFIG`. */
  runtimeConfig: RuntimeConfig;
}

/** The result of `planAllocation`: units sorted by name. */
export interface Allocation {
  environment: string;
  app: string;
  strategy: AllocationStrategy['strategy'];
  units: Unit[];
  /** Service name → name of the unit hosting it. */
  placement: Record<string, string>;
  /** Valid but noteworthy outcomes (e.g. a size capped at the platform's largest). */
  warnings: string[];
}
