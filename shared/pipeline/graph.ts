// Step dependency graph: order, cycles, downstream sets.
import { wholeRef } from './expressions.js';
import type { PipelineSpec } from './schema.js';

export interface Graph {
  /** step -> steps it depends on */
  deps: Map<string, Set<string>>;
}

/** Topological order, or the steps of one cycle (first repeated at the end). */
export function topoOrder(graph: Graph): { order: string[] } | { cycle: string[] } {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const order: string[] = [];
  const stack: string[] = [];
  let cycle: string[] | undefined;
  const visit = (n: string): void => {
    if (cycle) return;
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) {
      cycle = [...stack.slice(stack.indexOf(n)), n];
      return;
    }
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.deps.get(n) ?? []) visit(d);
    stack.pop();
    state.set(n, 2);
    order.push(n);
  };
  for (const n of graph.deps.keys()) visit(n);
  return cycle ? { cycle } : { order };
}

/** Every step that (transitively) depends on `step`. */
export function downstreamOf(graph: Graph, step: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [n, ds] of graph.deps) {
      if (out.has(n)) continue;
      if (ds.has(step) || [...ds].some((d) => out.has(d))) {
        out.add(n);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * step -> the steps it waits for (data edges and run_after) of an already validated spec, e.g. the
 * one a run recorded: the graph of what ran, whatever its file says today.
 */
export function dependsOnOf(spec: Pick<PipelineSpec, 'steps'>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, step] of Object.entries(spec.steps)) {
    const deps = new Set<string>();
    for (const inp of Object.values(step.inputs ?? {})) {
      const r = typeof inp === 'string' ? wholeRef(inp) : undefined;
      if (r && typeof r !== 'string' && r.kind === 'steps') deps.add(r.step);
    }
    for (const d of step.run_after ?? []) deps.add(d);
    out[id] = [...deps];
  }
  return out;
}
