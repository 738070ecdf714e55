// YAML aliases (`*name`) checked before a document becomes data: an alias to no anchor, one
// inside the node it names, or a file that expands far beyond what any pipeline needs (a
// "billion laughs") is a problem with a position, not a ReferenceError or an out-of-memory.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

/**
 * Alias uses (`*name`) one file may hold: a dozen per step of a 150-step file. The library
 * resolves aliases in quadratic time (2,000: ~0.2 s; 10,000: ~2 s, on every listing).
 */
export const MAX_ALIASES = 2_000;
/**
 * Values (scalars, lists, maps) of a document once every alias is written out: 200 per step of
 * a 1,000-step file. The expanded definition is what zod checks and each run record stores.
 */
export const MAX_EXPANDED_VALUES = 200_000;

export interface AliasProblem {
  /** Offset of the alias in the source text. */
  offset: number;
  message: string;
}

type Target = Map<Node, Node>;

/**
 * Checks every alias of `doc`. When this returns no problem, `doc.toJS()` resolves every alias
 * and builds at most MAX_EXPANDED_VALUES values, so the library's own guard (a count × nesting
 * heuristic that names no position and refuses some legitimate files) can be switched off.
 */
export function aliasProblems(doc: Document): AliasProblem[] {
  const problems: AliasProblem[] = [];
  const targets: Target = new Map();
  const anchors = new Map<string, Node>();
  let aliases = 0;
  // Document order is the order the library resolves in: an alias names the last anchor before it.
  visit(doc, {
    Node: (_key, node, path) => {
      if (!isAlias(node)) {
        if (node.anchor) anchors.set(node.anchor, node);
        return undefined;
      }
      const offset = node.range?.[0] ?? 0;
      if (++aliases > MAX_ALIASES) {
        problems.push({ offset, message: `more than ${MAX_ALIASES} aliases in one file` });
        return visit.BREAK;
      }
      const target = anchors.get(node.source);
      if (!target) problems.push({ offset, message: `alias '*${node.source}' names no anchor: '&${node.source}' must be set before it` });
      else if (path.includes(target)) problems.push({ offset, message: `alias '*${node.source}' is inside the node it names` });
      else targets.set(node, target);
      return undefined;
    },
  });
  if (problems.length) return problems;

  const memo = new Map<Node, number>();
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    if (isPair(node)) return size(node.key) + size(node.value);
    if (isAlias(node)) return size(targets.get(node));
    if (isScalar(node)) return 1;
    const known = memo.get(node as Node);
    if (known !== undefined) return known;
    let n = 1;
    if (isMap(node) || isSeq(node)) for (const item of node.items) n = Math.min(n + size(item), MAX_EXPANDED_VALUES + 1);
    memo.set(node as Node, n);
    return n;
  };
  // Sizing the targets in the order of their aliases keeps the recursion as deep as the text is
  // nested, not as long as a chain of anchors: any alias inside a target came earlier, so its
  // own target is known by then.
  for (const node of targets.values()) size(node);

  let total = 0;
  visit(doc, {
    Node: (_key, node) => {
      total += isAlias(node) ? size(node) : 1;
      if (total <= MAX_EXPANDED_VALUES) return undefined;
      const offset = node.range?.[0] ?? 0;
      problems.push({ offset, message: `aliases expand this file beyond ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values` });
      return visit.BREAK;
    },
  });
  return problems;
}
