import type { Allocation } from './allocation.js';

/**
 * Renders an allocation for a terminal: one block per unit with its services, gateway, sizing,
 * databases and the remote services it calls.
 * @example console.log(formatAllocation(planAllocation(app, env)))
 */
export function formatAllocation(allocation: Allocation): string {
  const lines = [
    `${allocation.app} in ${allocation.environment}: ${allocation.units.length} unit${allocation.units.length === 1 ? '' : 's'} (strategy ${allocation.strategy})`,
  ];
  for (const unit of allocation.units) {
    const { cpu, memory, minInstances, maxInstances } = unit.sizing;
    lines.push('');
    lines.push(`  ${unit.name}${unit.gateway ? `  [gateway: ${unit.publicServices.join(', ')}]` : ''}`);
    lines.push(`    services   ${unit.services.join(', ')}`);
    lines.push(
      `    sizing     ${cpu} vCPU, ${memory} MiB, ${minInstances}-${maxInstances} instances, port ${unit.port}`,
    );
    lines.push(`    url        ${unit.url}`);
    if (unit.databases.length > 0) lines.push(`    databases  ${unit.databases.join(', ')}`);
    const remotes = Object.entries(unit.runtimeConfig.remotes);
    if (remotes.length > 0) {
      lines.push('    calls');
      for (const [service, url] of remotes) lines.push(`      ${service} -> ${url}`);
    }
  }
  for (const warning of allocation.warnings) lines.push(`\n  warning: ${warning}`);
  return lines.join('\n');
}
