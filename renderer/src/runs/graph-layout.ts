// The pipeline graph laid out by dagre (top to bottom), as plain numbers the SVG draws.
import { Graph, layout } from '@dagrejs/dagre';

export interface LaidNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidEdge {
  from: string;
  to: string;
  /** SVG path data. */
  d: string;
}
export interface GraphLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

export const NODE_W = 190;
export const NODE_H = 64;

/** `dependsOn`: step -> steps it waits for. Unknown dependencies are ignored (a pipeline edited since the run). */
export function layoutGraph(steps: string[], dependsOn: Record<string, string[]>): GraphLayout {
  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 44, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(steps);
  for (const s of steps) g.setNode(s, { width: NODE_W, height: NODE_H });
  for (const s of steps) for (const d of dependsOn[s] ?? []) if (known.has(d)) g.setEdge(d, s);
  layout(g);
  const nodes = steps.map((id) => {
    const n = g.node(id);
    return { id, x: n.x - NODE_W / 2, y: n.y - NODE_H / 2, width: NODE_W, height: NODE_H };
  });
  const edges = g.edges().map((e) => {
    const pts: { x: number; y: number }[] = g.edge(e).points ?? [];
    const d = pts.map((p: { x: number; y: number }, i: number) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { from: e.v, to: e.w, d };
  });
  const label = g.graph();
  return { nodes, edges, width: Math.max(label.width ?? 0, NODE_W + 16), height: Math.max(label.height ?? 0, NODE_H + 16) };
}
