import { compare } from './call-graph.js';

/** Limits a process must respect under `auto`. */
export interface AutoLimits {
  maxServicesPerUnit: number;
  maxCpuPerUnit?: number;
  maxMemoryPerUnit?: number;
}

/** What `auto` knows about a service: its demand (vCPU, MiB; 0 when unknown) and whether it must be alone. */
export interface AutoService {
  name: string;
  cpu: number;
  memory: number;
  isolate: boolean;
}

interface Cluster {
  key: string; // smallest member name: intrinsic to the cluster, so tie-breaks ignore unrelated services
  members: string[];
  cpu: number;
  memory: number;
  isolate: boolean;
  edges: Map<number, number>; // neighbour cluster id → summed call weight between the two
  alive: boolean;
}

interface Candidate {
  weight: number;
  a: number;
  b: number;
  lo: string;
  hi: string;
}

/**
 * Greedy agglomerative clustering of the call graph: repeatedly merge the two processes with the
 * heaviest call traffic between them, as long as the merged process respects the limits. This
 * removes the heaviest cross-process traffic first. Services that exchange no calls are never merged.
 * Ties break on the processes' smallest service names, so the result is deterministic and a
 * connected group is unaffected by services it has no calls with.
 * Cost: O(E log E) with small-into-large merging of neighbour maps.
 * @returns groups of service names, each sorted, in no particular order.
 */
export function autoGroups(
  services: readonly AutoService[],
  graph: ReadonlyMap<string, ReadonlyMap<string, number>>,
  limits: AutoLimits,
): string[][] {
  const ids = new Map<string, number>();
  const clusters: Cluster[] = services.map((s, i) => {
    ids.set(s.name, i);
    return {
      key: s.name,
      members: [s.name],
      cpu: s.cpu,
      memory: s.memory,
      isolate: s.isolate,
      edges: new Map(),
      alive: true,
    };
  });
  const heap = new CandidateHeap();
  for (const [from, edges] of graph) {
    const a = ids.get(from);
    if (a === undefined) continue;
    for (const [to, weight] of edges) {
      const b = ids.get(to);
      if (b === undefined || b === a) continue;
      clusters[a]!.edges.set(b, weight);
      if (a < b) heap.push(candidate(clusters, a, b, weight));
    }
  }
  const fits = (x: Cluster, y: Cluster) =>
    !x.isolate &&
    !y.isolate &&
    x.members.length + y.members.length <= limits.maxServicesPerUnit &&
    (limits.maxCpuPerUnit === undefined || x.cpu + y.cpu <= limits.maxCpuPerUnit + 1e-9) &&
    (limits.maxMemoryPerUnit === undefined || x.memory + y.memory <= limits.maxMemoryPerUnit);

  for (let next = heap.pop(); next; next = heap.pop()) {
    const x = clusters[next.a]!;
    const y = clusters[next.b]!;
    // Stale entries: a side was merged away, or the weight between the two grew since this was queued.
    if (!x.alive || !y.alive || x.edges.get(next.b) !== next.weight) continue;
    // Clusters only grow, so a pair that does not fit now never will: dropping it is final.
    if (!fits(x, y)) continue;
    const [keep, gone, keepId, goneId] =
      x.edges.size >= y.edges.size ? [x, y, next.a, next.b] : [y, x, next.b, next.a];
    gone.alive = false;
    keep.members.push(...gone.members);
    keep.cpu += gone.cpu;
    keep.memory += gone.memory;
    const keyChanged = compare(gone.key, keep.key) < 0;
    if (keyChanged) keep.key = gone.key;
    keep.edges.delete(goneId);
    const touched: number[] = [];
    for (const [neighbourId, weight] of gone.edges) {
      if (neighbourId === keepId) continue;
      const neighbour = clusters[neighbourId]!;
      const total = (keep.edges.get(neighbourId) ?? 0) + weight;
      keep.edges.set(neighbourId, total);
      neighbour.edges.delete(goneId);
      neighbour.edges.set(keepId, total);
      touched.push(neighbourId);
    }
    // Re-queue the edges whose weight changed, or all of them when the key (a tie-break) changed.
    const requeue = keyChanged ? keep.edges.keys() : touched;
    for (const neighbourId of requeue)
      heap.push(candidate(clusters, keepId, neighbourId, keep.edges.get(neighbourId)!));
  }
  return clusters.filter((c) => c.alive).map((c) => c.members.sort(compare));
}

function candidate(clusters: Cluster[], a: number, b: number, weight: number): Candidate {
  const ka = clusters[a]!.key;
  const kb = clusters[b]!.key;
  return compare(ka, kb) < 0 ? { weight, a, b, lo: ka, hi: kb } : { weight, a: b, b: a, lo: kb, hi: ka };
}

/** Heaviest first; ties by the pair's keys. */
function before(x: Candidate, y: Candidate): boolean {
  if (x.weight !== y.weight) return x.weight > y.weight;
  const lo = compare(x.lo, y.lo);
  return lo !== 0 ? lo < 0 : compare(x.hi, y.hi) < 0;
}

/** A binary heap of merge candidates (no library: a dozen lines, on the hot path of the planner). */
class CandidateHeap {
  private readonly items: Candidate[] = [];

  push(item: Candidate): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Candidate | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && before(items[l]!, items[best]!)) best = l;
      if (r < items.length && before(items[r]!, items[best]!)) best = r;
      if (best === i) return top;
      [items[i], items[best]] = [items[best]!, items[i]!];
      i = best;
    }
  }
}
