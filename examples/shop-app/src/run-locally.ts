import { type Allocation, readRuntimeConfig, runtimeConfigEnvVar } from '@patchbay/core';
import { shopServices } from './shop-services.js';
import { type RunningUnit, startUnit } from './unit-server.js';

/**
 * Runs every unit of an allocation as a local HTTP server, each reading its runtime config the way it
 * would in the cloud (from `PATCHBAY_RUNTIME_CONFIG`). Cloud URLs (`http://cart.staging.local:8080`)
 * don't resolve on a laptop, so once every unit listens, each remote URL is swapped for the local
 * address of the unit behind it — the substitution service discovery makes in the cloud.
 */
export async function runLocally(
  allocation: Allocation,
): Promise<{ units: Map<string, RunningUnit>; stop: () => Promise<void> }> {
  const units = new Map<string, RunningUnit>();
  for (const unit of allocation.units) {
    const config = readRuntimeConfig({ [runtimeConfigEnvVar]: JSON.stringify(unit.runtimeConfig) });
    units.set(unit.name, await startUnit(config, shopServices));
  }
  const local = new Map(allocation.units.map((u) => [u.url, units.get(u.name)!.url]));
  for (const { config } of units.values())
    for (const [service, url] of Object.entries(config.remotes)) config.remotes[service] = local.get(url)!;
  return {
    units,
    stop: async () => {
      await Promise.all([...units.values()].map((u) => new Promise((resolve) => u.server.close(resolve))));
    },
  };
}
