// MLflow-style run search (`params.reg_rate > 0.05 and metrics.AUC >= 0.8 and tags.team = 'x'`),
// parsed into clauses the store turns into SQL with bound values. Pure: the studio checks an
// expression as it is typed with the same parser the server uses.
//
//   expression := clause (AND clause)*
//   clause     := key operator value | key IS [NOT] NULL | key [NOT] IN (value, ...)
//   key        := metrics.NAME | params.NAME | tags.NAME | attributes.NAME (or a bare attribute NAME)
//   NAME       := letters, digits, _ . - / : — or any text in `backticks` or "double quotes"
//   value      := number | 'text' | "text" | true | false
import { UserError } from '../errors.js';

export const FILTER_KINDS = ['metrics', 'params', 'tags', 'attributes'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

/** Attributes of a run one can search (aliases in ATTRIBUTE_ALIASES). */
export const ATTRIBUTES = ['id', 'name', 'status', 'pipeline', 'experiment', 'trigger', 'description', 'created', 'duration', 'endpoint', 'published', 'schedule'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];
const ATTRIBUTE_ALIASES: Record<string, Attribute> = {
  run_id: 'id', runid: 'id', run_name: 'name', runname: 'name', start_time: 'created', created_at: 'created', started: 'created',
  duration_ms: 'duration', pipeline_name: 'pipeline', experiment_name: 'experiment', published_id: 'published', pipeline_endpoint: 'endpoint',
};
/** Attributes compared as numbers (epoch ms; an ISO date-time is accepted for `created`). */
export const NUMERIC_ATTRIBUTES: readonly Attribute[] = ['created', 'duration'];

const KIND_ALIASES: Record<string, FilterKind> = {
  metric: 'metrics', metrics: 'metrics', param: 'params', params: 'params', parameter: 'params', parameters: 'params',
  tag: 'tags', tags: 'tags', attribute: 'attributes', attributes: 'attributes', attr: 'attributes', run: 'attributes',
};

export const COMPARISONS = ['=', '!=', '>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];
export type Operator = Comparison | 'LIKE' | 'ILIKE' | 'NOT LIKE' | 'NOT ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';
export type FilterValue = string | number | boolean;

export interface FilterClause {
  kind: FilterKind;
  /** Metric, parameter or tag name; for attributes one of ATTRIBUTES. */
  key: string;
  op: Operator;
  /** One value; a list for IN / NOT IN; none for IS [NOT] NULL. */
  value?: FilterValue | FilterValue[];
  /** 1-based column of the clause in the expression. */
  at: number;
}

/** True when the text is meant as an expression rather than words to look for (the studio's one search box). */
export function looksLikeFilter(text: string): boolean {
  const m = /^\s*([A-Za-z_]+)\s*(\.|[=!<>]|(?:like|ilike|in|is|not)\b)/i.exec(text);
  if (!m) return false;
  const word = m[1].toLowerCase();
  return m[2] === '.' ? Object.hasOwn(KIND_ALIASES, word) : (ATTRIBUTES as readonly string[]).includes(word) || Object.hasOwn(ATTRIBUTE_ALIASES, word);
}

interface Token {
  type: 'word' | 'string' | 'number' | 'op' | 'punct' | 'quotedName';
  text: string;
  at: number;
}

function fail(text: string, at: number, what: string): never {
  // The expression with a caret under the place, as a compiler shows it.
  throw new UserError(`invalid search at column ${at}: ${what}`, 'invalid_query', [text, `${' '.repeat(Math.max(0, at - 1))}^`]);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const at = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= text.length) fail(text, at, `unclosed ${c}`);
        if (text[j] === c && text[j + 1] === c) {
          v += c;
          j += 2;
        } else if (text[j] === c) break;
        else v += text[j++];
      }
      // "double quotes" name a key after a dot and are text elsewhere; `backticks` always name.
      const afterDot = tokens.at(-1)?.text === '.';
      tokens.push({ type: c === '`' || (c === '"' && afterDot) ? 'quotedName' : 'string', text: v, at });
      i = j + 1;
    } else if (/[-+\d]/.test(c) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(text.slice(i)) && !(tokens.at(-1)?.text === '.')) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))![0];
      tokens.push({ type: 'number', text: m, at });
      i += m.length;
    } else if (/[<>=!]/.test(c)) {
      const m = /^(<=|>=|!=|<>|==|=|<|>)/.exec(text.slice(i));
      if (!m) fail(text, at, `unexpected '${c}'`);
      tokens.push({ type: 'op', text: m[0], at });
      i += m[0].length;
    } else if (c === '.' || c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, at });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      // After "kind." a name may hold dots, slashes, colons and dashes (train/loss, val.acc).
      const afterDot = tokens.at(-1)?.text === '.';
      const m = (afterDot ? /^[A-Za-z0-9_./:-]+/ : /^[A-Za-z_][A-Za-z0-9_]*/).exec(text.slice(i))![0];
      tokens.push({ type: 'word', text: m, at });
      i += m.length;
    } else fail(text, at, `unexpected '${c}'`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly t: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.t[this.i];
  }
  private end(): number {
    return this.text.trimEnd().length + 1;
  }
  private next(what: string): Token {
    const tok = this.t[this.i++];
    if (!tok) fail(this.text, this.end(), `expected ${what}, found the end`);
    return tok;
  }
  private isWord(tok: Token | undefined, w: string): boolean {
    return tok?.type === 'word' && tok.text.toLowerCase() === w;
  }

  parse(): FilterClause[] {
    const clauses: FilterClause[] = [this.clause()];
    while (this.peek()) {
      const tok = this.next("'and'");
      if (this.isWord(tok, 'or')) fail(this.text, tok.at, "'or' is not supported (as in MLflow): join conditions with 'and'");
      if (!this.isWord(tok, 'and')) fail(this.text, tok.at, `expected 'and' before '${tok.text}'`);
      clauses.push(this.clause());
    }
    return clauses;
  }

  private key(): { kind: FilterKind; key: string; at: number } {
    const first = this.next('a key such as metrics.accuracy, params.rate, tags.team or status');
    if (first.type !== 'word' && first.type !== 'quotedName') fail(this.text, first.at, `expected a key such as metrics.accuracy, params.rate or tags.team, found '${first.text}'`);
    if (this.peek()?.text === '.' && first.type === 'word') {
      const kind = Object.hasOwn(KIND_ALIASES, first.text.toLowerCase()) ? KIND_ALIASES[first.text.toLowerCase()] : undefined;
      if (!kind) fail(this.text, first.at, `unknown key type '${first.text}' (expected metrics, params, tags or attributes)`);
      this.i++;
      const name = this.next(`a ${kind === 'attributes' ? 'attribute' : kind.replace(/s$/, '')} name after '${first.text}.'`);
      if (name.type !== 'word' && name.type !== 'quotedName') fail(this.text, name.at, `expected a name after '${first.text}.'`);
      if (!name.text) fail(this.text, name.at, 'the name is empty');
      return kind === 'attributes' ? { kind, key: this.attribute(name), at: first.at } : { kind, key: name.text, at: first.at };
    }
    return { kind: 'attributes', key: this.attribute(first), at: first.at };
  }

  private attribute(tok: Token): Attribute {
    const name = tok.text.toLowerCase();
    const a = (ATTRIBUTES as readonly string[]).includes(name) ? (name as Attribute) : Object.hasOwn(ATTRIBUTE_ALIASES, name) ? ATTRIBUTE_ALIASES[name] : undefined;
    if (!a) fail(this.text, tok.at, `unknown attribute '${tok.text}' (known: ${ATTRIBUTES.join(', ')}; or metrics.NAME, params.NAME, tags.NAME)`);
    return a;
  }

  private value(): FilterValue {
    const tok = this.next('a value');
    if (tok.type === 'number') return Number(tok.text);
    if (tok.type === 'string') return tok.text;
    if (this.isWord(tok, 'true')) return true;
    if (this.isWord(tok, 'false')) return false;
    fail(this.text, tok.at, `expected a number, 'quoted text', true or false, found '${tok.text}'`);
  }

  private clause(): FilterClause {
    const { kind, key, at } = this.key();
    const opTok = this.next('an operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, IS NULL)');
    let op: Operator;
    let value: FilterClause['value'];
    const word = opTok.type === 'word' ? opTok.text.toUpperCase() : '';
    if (opTok.type === 'op') {
      op = opTok.text === '==' ? '=' : opTok.text === '<>' ? '!=' : (opTok.text as Comparison);
      value = this.value();
    } else if (word === 'IS') {
      const not = this.isWord(this.peek(), 'not');
      if (not) this.i++;
      const n = this.next("'null'");
      if (!this.isWord(n, 'null')) fail(this.text, n.at, `expected 'null' after 'is${not ? ' not' : ''}'`);
      op = not ? 'IS NOT NULL' : 'IS NULL';
    } else if (word === 'LIKE' || word === 'ILIKE' || word === 'IN' || word === 'NOT') {
      let w = word;
      if (w === 'NOT') {
        const n = this.next("'like', 'ilike' or 'in'");
        w = n.type === 'word' ? n.text.toUpperCase() : '';
        if (!['LIKE', 'ILIKE', 'IN'].includes(w)) fail(this.text, n.at, "expected 'like', 'ilike' or 'in' after 'not'");
      }
      op = (word === 'NOT' ? `NOT ${w}` : w) as Operator;
      if (w === 'IN') {
        const open = this.next("'('");
        if (open.text !== '(') fail(this.text, open.at, "expected '(' after 'in'");
        const list: FilterValue[] = [this.value()];
        for (;;) {
          const sep = this.next("',' or ')'");
          if (sep.text === ')') break;
          if (sep.text !== ',') fail(this.text, sep.at, "expected ',' or ')'");
          list.push(this.value());
        }
        value = list;
      } else {
        const v = this.next('a quoted pattern');
        if (v.type !== 'string') fail(this.text, v.at, `${w} takes a 'quoted pattern' (% any text, _ one character)`);
        value = v.text;
      }
    } else fail(this.text, opTok.at, `expected an operator (=, !=, >, >=, <, <=, like, ilike, in, is null) after '${key}', found '${opTok.text}'`);
    const clause: FilterClause = { kind, key, op, value, at };
    check(this.text, clause);
    return clause;
  }
}

/** What each kind of key can be compared with: the errors a user gets instead of an empty result. */
function check(text: string, c: FilterClause): void {
  const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
  const ordered = c.op === '>' || c.op === '>=' || c.op === '<' || c.op === '<=';
  const pattern = c.op.includes('LIKE');
  if (c.kind === 'metrics') {
    if (pattern) fail(text, c.at, `metrics.${c.key}: metrics compare with numbers, not ${c.op}`);
    if (values.some((v) => typeof v !== 'number')) fail(text, c.at, `metrics.${c.key}: compare a metric with a number, e.g. metrics.${c.key} >= 0.8`);
  }
  if (c.kind === 'tags' && (ordered || values.some((v) => typeof v === 'number' || typeof v === 'boolean'))) {
    if (values.some((v) => typeof v !== 'string')) fail(text, c.at, `tags.${c.key}: tag values are text: quote the value, e.g. tags.${c.key} = 'x'`);
  }
  if (c.kind === 'attributes') {
    const numeric = NUMERIC_ATTRIBUTES.includes(c.key as Attribute);
    if (numeric && pattern) fail(text, c.at, `${c.key} is a number: compare it with =, >, >= ...`);
    if (numeric && c.key === 'duration' && values.some((v) => typeof v !== 'number')) fail(text, c.at, 'duration is in milliseconds: compare it with a number');
    if (numeric && c.key === 'created' && values.some((v) => typeof v !== 'number' && (typeof v !== 'string' || Number.isNaN(Date.parse(v))))) {
      fail(text, c.at, "created: compare with epoch milliseconds or a date such as '2026-03-01' or '2026-03-01T12:00:00Z'");
    }
    if (!numeric && ordered) fail(text, c.at, `${c.key} is text: use =, !=, like, ilike or in`);
    if (!numeric && values.some((v) => typeof v !== 'string')) fail(text, c.at, `${c.key}: quote the value, e.g. ${c.key} = 'x'`);
    if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') {
      if (!['name', 'description', 'endpoint', 'published', 'schedule'].includes(c.key)) fail(text, c.at, `${c.key} is never empty`);
    }
  }
}

/** Parses an expression; throws a UserError (code invalid_query) naming the column of the first problem. */
export function parseRunFilter(text: string): FilterClause[] {
  if (!text.trim()) return [];
  return new Parser(text, tokenize(text)).parse();
}
