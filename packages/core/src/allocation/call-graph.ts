import type { App } from '../model/index.js';

/**
 * The app's calls as an undirected weighted graph: the weight between two services is the sum of
 * their calls in both directions (a process boundary costs the same whichever side calls).
 * Services are visited in name order so sums (and everything built on them) do not depend on input order.
 */
export function callGraph(app: App): Map<string, Map<string, number>> {
  const graph = new Map<string, Map<string, number>>();
  const services = [...app.services].sort((a, b) => compare(a.name, b.name));
  for (const service of services) graph.set(service.name, new Map());
  for (const service of services) {
    const calls = [...service.calls].sort((a, b) => compare(a.service, b.service));
    for (const call of calls) {
      if (call.service === service.name || !graph.has(call.service)) continue;
      add(graph, service.name, call.service, call.weight);
      add(graph, call.service, service.name, call.weight);
    }
  }
  return graph;
}

function add(graph: Map<string, Map<string, number>>, from: string, to: string, weight: number): void {
  const edges = graph.get(from)!;
  edges.set(to, (edges.get(to) ?? 0) + weight);
}

/** Plain code-point order: locale-independent, so plans are identical on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
