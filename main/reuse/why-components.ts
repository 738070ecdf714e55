// Which parts of two reuse keys differ, in words (docs/reuse.md): the parts come from each key's
// manifest (main/executor/reuse-key.ts) and, for what a person recognises (parameter names, code
// file paths, input files), from the step definitions the two runs recorded.
import { basename } from 'node:path';
import type { WhyReason } from '../../shared/api/reuse-records.js';
import type { PlannedInput, PlannedStep } from '../executor/plan.js';
import { codeFileDiff } from './code-diff.js';

/** One side of the comparison: the recorded definition and the key's parts (absent for keys recorded before manifests). */
export interface KeySide {
  def: Partial<PlannedStep>;
  parts: Record<string, unknown> | undefined;
  /** Shown as the diff's file label: run and step. */
  label: string;
}

export const shortHash = (h: string | null | undefined): string => (h ? `${h.slice(0, 8)}…` : 'none');
const shown = (v: unknown): string => (v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function inputFile(inp: PlannedInput | undefined): string | undefined {
  return inp?.kind === 'path' && inp.path && !inp.files ? basename(inp.path) : undefined;
}

function describeInputSource(inp: PlannedInput | undefined): string {
  if (!inp) return '(none)';
  if (inp.kind === 'step') return `output ${inp.output} of step ${inp.step}`;
  if (inp.dataset) return `dataset ${inp.dataset.name}:${inp.dataset.version}`;
  return inp.patterns.map((p) => `${p.datastore}:${p.relPath}`).join(', ');
}

function inputReasons(cur: KeySide, cand: KeySide, reasons: WhyReason[], matched: string[]): void {
  const hashes = (s: KeySide) => new Map(((s.parts?.inputs as [string, string][] | undefined) ?? []).map(([k, v]) => [k, v]));
  const a = hashes(cand);
  const b = hashes(cur);
  const names = [...new Set([...Object.keys(cand.def.inputs ?? {}), ...Object.keys(cur.def.inputs ?? {})])].sort();
  for (const name of names) {
    const was = cand.def.inputs?.[name];
    const is = cur.def.inputs?.[name];
    if (!was) reasons.push({ kind: 'input', text: `input ${name}: added (${describeInputSource(is)})` });
    else if (!is) reasons.push({ kind: 'input', text: `input ${name}: removed` });
    else if (describeInputSource(was) !== describeInputSource(is)) {
      reasons.push({ kind: 'input', text: `input ${name}: ${describeInputSource(was)} → ${describeInputSource(is)}` });
    } else if (a.has(name) && b.has(name) && a.get(name) !== b.get(name)) {
      const what = is.kind === 'step' ? `output ${is.output} of step ${is.step} changed` : `${inputFile(is) ? `${inputFile(is)} ` : ''}content changed`;
      reasons.push({ kind: 'input', text: `input ${name}: ${what} (hash ${shortHash(a.get(name))} → ${shortHash(b.get(name))})` });
    } else matched.push(`input ${name}`);
  }
}

function codeReasons(ws: string, cur: KeySide, cand: KeySide, reasons: WhyReason[], matched: string[]): void {
  const from = cand.def.snapshot ?? null;
  const to = cur.def.snapshot ?? null;
  if (from === to) {
    if (from) matched.push(`code (${cur.def.codeFiles?.length ?? 0} files)`);
    return;
  }
  const was = new Map((cand.def.codeFiles ?? []).map((f) => [f.rel, f.hash]));
  const is = new Map((cur.def.codeFiles ?? []).map((f) => [f.rel, f.hash]));
  const before = reasons.length;
  const diff = (rel: string, a: string | null, b: string | null) => codeFileDiff(ws, rel, a, b, [cand.label, cur.label]);
  for (const rel of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    const h0 = was.get(rel);
    const h1 = is.get(rel);
    if (h0 === h1) continue;
    const r: WhyReason =
      h0 === undefined ? { kind: 'code', text: `code: ${rel} added`, diff: diff(rel, null, to) }
        : h1 === undefined ? { kind: 'code', text: `code: ${rel} removed`, diff: diff(rel, from, null) }
          : { kind: 'code', text: `code: ${rel} changed (hash ${shortHash(h0)} → ${shortHash(h1)})`, diff: diff(rel, from, to) };
    if (r.diff === undefined) delete r.diff;
    reasons.push(r);
  }
  if (reasons.length === before) reasons.push({ kind: 'code', text: `code changed (snapshot ${shortHash(from)} → ${shortHash(to)})` });
}

/** Every part of the key, compared: what differs (reasons) and what matched (names). */
export function compareKeys(workspaceDir: string, cur: KeySide, cand: KeySide): { reasons: WhyReason[]; matched: string[] } {
  const reasons: WhyReason[] = [];
  const matched: string[] = [];
  const c = cand.def;
  const d = cur.def;
  if (c.type !== d.type) reasons.push({ kind: 'type', text: `step type: ${shown(c.type)} → ${shown(d.type)}` });
  else matched.push('type');
  if (d.type !== 'python' || c.type !== 'python') {
    if (c.program !== d.program) reasons.push({ kind: 'command', text: `command: ${shown(c.program)} → ${shown(d.program)}` });
    else matched.push('command');
  }
  if (c.script !== d.script) reasons.push({ kind: 'script', text: `script: ${shown(c.script)} → ${shown(d.script)}` });
  else if (d.script) matched.push('script');
  const params = [...new Set([...Object.keys(c.parameters ?? {}), ...Object.keys(d.parameters ?? {})])].sort();
  let paramChanged = false;
  for (const p of params) {
    const v0 = c.parameters?.[p];
    const v1 = d.parameters?.[p];
    if (same(v0, v1)) continue;
    paramChanged = true;
    reasons.push({ kind: 'parameter', text: `parameter ${p}: ${shown(v0)} → ${shown(v1)}` });
  }
  if (!same(c.args, d.args)) {
    // A parameter that changed is said once, by name; other argument changes are shown as written.
    if (!paramChanged) reasons.push({ kind: 'arguments', text: `arguments: ${(c.args ?? []).join(' ')} → ${(d.args ?? []).join(' ')}` });
  } else matched.push(params.length ? `arguments (parameters ${params.join(', ')})` : 'arguments');
  codeReasons(workspaceDir, cur, cand, reasons, matched);
  inputReasons(cur, cand, reasons, matched);
  const envReasons: string[] = [];
  if (d.type === 'python' && c.type === 'python' && c.python !== d.python) envReasons.push(`python ${shown(c.python)} → ${shown(d.python)}`);
  for (const k of [...new Set([...Object.keys(c.env ?? {}), ...Object.keys(d.env ?? {})])].sort()) {
    // Values may be secrets: only which variable changed.
    if (c.env?.[k] !== d.env?.[k]) envReasons.push(c.env?.[k] === undefined ? `variable ${k} added` : d.env?.[k] === undefined ? `variable ${k} removed` : `variable ${k} changed`);
  }
  if (envReasons.length) reasons.push({ kind: 'environment', text: `environment changed: ${envReasons.join(', ')}` });
  else if (!same(cand.parts?.environment, cur.parts?.environment)) reasons.push({ kind: 'environment', text: 'environment changed' });
  else matched.push('environment');
  const outs = (s: Partial<PlannedStep>) => Object.keys(s.outputs ?? {}).sort().join(', ');
  if (outs(c) !== outs(d)) reasons.push({ kind: 'outputs', text: `output names: ${outs(c) || '(none)'} → ${outs(d) || '(none)'}` });
  else matched.push('output names');
  return { reasons, matched };
}
