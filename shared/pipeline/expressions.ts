// `${{ ... }}` expressions of the pipeline YAML (DESIGN.md section 3).

export type Ref =
  | { kind: 'parameters'; name: string }
  | { kind: 'inputs'; name: string }
  | { kind: 'outputs'; name: string }
  | { kind: 'steps'; step: string; output: string };

const EXPR = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const WHOLE = /^\$\{\{\s*([^}]*?)\s*\}\}$/;

export function parseRef(text: string): Ref | string {
  const parts = text.split('.');
  const [head] = parts;
  if ((head === 'parameters' || head === 'inputs' || head === 'outputs') && parts.length === 2 && parts[1]) {
    return { kind: head, name: parts[1] };
  }
  if (head === 'steps' && parts.length === 4 && parts[2] === 'outputs' && parts[1] && parts[3]) {
    return { kind: 'steps', step: parts[1], output: parts[3] };
  }
  return `unknown expression \${{${text}}}: expected parameters.NAME, inputs.NAME, outputs.NAME or steps.STEP.outputs.NAME`;
}

/** All references in a string, or an error message for the first malformed one. */
export function refsIn(text: string): { refs: Ref[]; error?: string } {
  const refs: Ref[] = [];
  for (const m of text.matchAll(EXPR)) {
    const r = parseRef(m[1]);
    if (typeof r === 'string') return { refs, error: r };
    refs.push(r);
  }
  return { refs };
}

/** The reference when the whole string is one expression, e.g. an input binding. */
export function wholeRef(text: string): Ref | string | undefined {
  const m = WHOLE.exec(text);
  return m ? parseRef(m[1]) : undefined;
}

/** Replace every expression using `lookup`; lookup returns undefined for an unresolvable one. */
export function interpolate(text: string, lookup: (ref: Ref) => string | undefined): string {
  return text.replace(EXPR, (whole, inner: string) => {
    const r = parseRef(inner);
    if (typeof r === 'string') throw new Error(r);
    const v = lookup(r);
    if (v === undefined) throw new Error(`cannot resolve ${whole}`);
    return v;
  });
}
