// A step's log as lines to show: stdout and stderr share one file (the process writes both into
// std_log.txt as it runs), so what looks like stderr — a Python traceback, error and warning lines —
// is marked by its text; the engine's own notes ("[millrace] ...") too. Search matches are split out
// so the view can mark them.

export type LineKind = 'error' | 'warning' | 'engine' | null;

export interface LogLine {
  n: number;
  text: string;
  kind: LineKind;
}

const ERROR = /\b(error|exception|fatal|failed|traceback)\b|^\s*(raise |File ".*", line \d+)/i;
const WARNING = /warning|\bwarn\b|deprecat/i;

/** Lines with their kind; a traceback is an error from its first line to the exception line that ends it. */
export function classify(text: string): LogLine[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  let inTraceback = false;
  return lines.map((t, i) => {
    let kind: LineKind = null;
    if (t.startsWith('[millrace]')) kind = /fail|error|killed|timed out|exited with code [1-9]/i.test(t) ? 'error' : 'engine';
    else if (t.startsWith('Traceback (most recent call last)')) {
      inTraceback = true;
      kind = 'error';
    } else if (inTraceback) {
      kind = 'error';
      // The traceback ends at the unindented "SomeError: message" line.
      if (!/^\s/.test(t)) inTraceback = false;
    } else if (ERROR.test(t)) kind = 'error';
    else if (WARNING.test(t)) kind = 'warning';
    return { n: i + 1, text: t, kind };
  });
}

/** A line cut into plain parts and matches of `query` (case-insensitive), for <mark>. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  if (!query) return [{ text, match: false }];
  const out: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > at) out.push({ text: text.slice(at, i), match: false });
    out.push({ text: text.slice(i, i + q.length), match: true });
    at = i + q.length;
  }
  if (at < text.length || !out.length) out.push({ text: text.slice(at), match: false });
  return out;
}

/** Numbers of the lines holding `query`. */
export const matchingLines = (lines: LogLine[], query: string): number[] =>
  query ? lines.filter((l) => l.text.toLowerCase().includes(query.toLowerCase())).map((l) => l.n) : [];
