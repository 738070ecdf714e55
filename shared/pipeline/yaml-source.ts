// YAML parsing that keeps positions, so every error can say file:line:col.
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { dottedPath, isMissing, schemaProblems } from '../zod-issues.js';
import { aliasProblems } from './yaml-aliases.js';

export interface Problem {
  line: number;
  col: number;
  message: string;
}

export class YamlSource {
  readonly lines = new LineCounter();
  readonly doc: Document;
  readonly problems: Problem[] = [];

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of this.doc.errors) {
      const [start] = e.pos;
      const { line, col } = this.lines.linePos(start);
      this.problems.push({ line, col, message: e.message.split('\n')[0] });
    }
    if (this.problems.length) return;
    for (const p of aliasProblems(this.doc)) this.problems.push({ ...this.lines.linePos(p.offset), message: p.message });
  }

  /** The document as data; only after throwIfProblems, which has checked every alias. */
  data(): unknown {
    return this.doc.toJS({ maxAliasCount: -1 });
  }

  /** Position of the node at `path`, or of its nearest existing ancestor. Keys point at the key. */
  pos(path: readonly PropertyKey[], atKey = false): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let offset = (isNode(node) && node.range?.[0]) || 0;
    for (const seg of path) {
      if (!isNode(node) || !('items' in node)) break;
      const items = (node as { items: unknown[] }).items;
      let next: unknown;
      let keyOffset: number | undefined;
      if (isMap(node)) {
        const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!isPair(pair)) break;
        keyOffset = isNode(pair.key) ? pair.key.range?.[0] : undefined;
        next = pair.value;
      } else if (typeof seg === 'number') {
        next = items[seg];
      }
      if (next === undefined && keyOffset === undefined) break;
      node = next;
      const o = isNode(next) && !(atKey && keyOffset !== undefined && seg === path[path.length - 1]) ? next.range?.[0] : keyOffset;
      if (o !== undefined) offset = o;
    }
    return this.lines.linePos(offset);
  }

  add(path: readonly PropertyKey[], message: string, atKey = false): void {
    const { line, col } = this.pos(path, atKey);
    this.problems.push({ line, col, message });
  }

  addZod(error: z.ZodError): void {
    const problems = schemaProblems(error.issues, {
      unknownKey: (k) => `unknown key '${k}'`,
      // A discriminated union (compute targets by `type`) names the values it accepts.
      override: (i) =>
        i.code === 'invalid_union' && !('discriminator' in i)
          ? describeUnion(i.path)
          : isMissing(i)
            ? `is required (${i.message})`
            : undefined,
    });
    for (const p of problems) {
      const where = p.path.length && !p.unknown ? `${dottedPath(p.path)}: ` : '';
      this.add(p.path, `${where}${p.message}`, p.atKey);
    }
  }

  /** Throws a UserError listing every problem as file:line:col. */
  throwIfProblems(what: string): void {
    if (!this.problems.length) return;
    const sorted = [...this.problems].sort((a, b) => a.line - b.line || a.col - b.col);
    throw new UserError(
      `${this.file}: invalid ${what} (${sorted.length} problem${sorted.length > 1 ? 's' : ''})`,
      'invalid_definition',
      sorted.map((p) => `${this.file}:${p.line}:${p.col}: ${p.message}`),
    );
  }
}

function describeUnion(path: readonly PropertyKey[]): string {
  if (path.includes('inputs')) {
    return 'expected an input binding: "${{steps.STEP.outputs.NAME}}", {dataset: NAME[, version: N]} or {datastore: NAME, path: PATH}';
  }
  return 'value does not match any allowed form';
}
