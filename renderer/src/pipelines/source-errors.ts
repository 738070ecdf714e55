// Validation errors of a pipeline file placed on its lines: `pipelines/x.yml:12:5: message` -> line 12, column 5.

export interface LocatedError {
  /** 1-based, as in the message. */
  line: number;
  col: number;
  message: string;
}

/** `pipelines/x.yml:12:5: message` -> the location and the message, to show side by side. */
export function splitError(text: string): { at: string; text: string } {
  const m = /^(.+?:\d+:\d+):\s*(.*)$/s.exec(text);
  return m ? { at: m[1], text: m[2] } : { at: '', text };
}

/**
 * The errors that point into `file` (the workspace-relative name, e.g. `pipelines/x.yml`, or the name under
 * pipelines/), by line; errors of other files or without a location are left to the list. Lines past the end
 * of a text with `lineCount` lines go on its last line.
 */
export function errorsByLine(errors: readonly string[], file: string, lineCount: number): Map<number, LocatedError[]> {
  const out = new Map<number, LocatedError[]>();
  const names = new Set([file, `pipelines/${file}`, file.replace(/^pipelines\//, '')]);
  for (const e of errors) {
    const m = /^(.+?):(\d+):(\d+):\s*(.*)$/s.exec(e);
    if (!m || !names.has(m[1].replace(/\\/g, '/'))) continue;
    const line = Math.min(Math.max(1, Number(m[2])), Math.max(1, lineCount));
    const list = out.get(line) ?? [];
    list.push({ line, col: Math.max(1, Number(m[3])), message: m[4] });
    out.set(line, list);
  }
  return out;
}

/** The text's lines (a final newline adds no empty line). */
export const sourceLines = (text: string): string[] => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/**
 * What goes before the caret under column `col` (1-based) of `line`: a space per character, a tab
 * per tab, so that in the same monospace column the caret sits under that very character.
 */
export const caretPrefix = (line: string, col: number): string => line.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ').padEnd(Math.max(0, col - 1), ' ');
