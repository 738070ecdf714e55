// Zoom, pan and fit for the pipeline graph, as plain numbers: a view is a scale and the screen
// position of the graph's origin. Scales stay where step names stay readable (the label's 13 px
// never drawn below MIN_SCALE * 13 ≈ 9 px): a graph too large for that is panned, not shrunk.

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.7;
export const MAX_SCALE = 2;
const PAD = 12;

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** The whole graph in the viewport when that keeps names readable (never enlarged past 1), centred. */
export function fitView(graph: Size, viewport: Size): View {
  const scale = clampScale(Math.min(1, (viewport.width - 2 * PAD) / graph.width, (viewport.height - 2 * PAD) / graph.height));
  const w = graph.width * scale;
  const h = graph.height * scale;
  // Centred on an axis where it fits; from its top-left corner where it does not.
  return { scale, x: w <= viewport.width ? (viewport.width - w) / 2 : PAD, y: h <= viewport.height ? (viewport.height - h) / 2 : PAD };
}

/** Zoom by `factor` keeping the graph point under `at` (viewport coordinates) where it is. */
export function zoomAt(v: View, factor: number, at: { x: number; y: number }): View {
  const scale = clampScale(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: at.x - (at.x - v.x) * k, y: at.y - (at.y - v.y) * k };
}

/** Pan, keeping at least a margin of the graph in view. */
export function panBy(v: View, dx: number, dy: number, graph: Size, viewport: Size, margin = 60): View {
  const w = graph.width * v.scale;
  const h = graph.height * v.scale;
  const clamp = (p: number, size: number, view: number) => Math.min(view - margin, Math.max(margin - size, p));
  return { ...v, x: clamp(v.x + dx, w, viewport.width), y: clamp(v.y + dy, h, viewport.height) };
}

/**
 * A step name in at most `lines` lines of `chars` characters, broken at spaces, '_', '-' or '.'
 * where it can, the last line cut with '…' when the name is longer.
 */
export function wrapLabel(text: string, chars = 24, lines = 2): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest && out.length < lines) {
    if (rest.length <= chars) {
      out.push(rest);
      rest = '';
      break;
    }
    if (out.length === lines - 1) {
      out.push(`${rest.slice(0, chars - 1)}…`);
      rest = '';
      break;
    }
    const window = rest.slice(0, chars + 1);
    const cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('_') + 1, window.lastIndexOf('-') + 1, window.lastIndexOf('.') + 1);
    const at = cut > chars / 3 ? cut : chars;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  return out.length ? out : [''];
}
