// What a run left behind: step logs, metrics (downsampled on request), output folders and files.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HandlerMap } from '../../../shared/api/contract.js';
import type { FileResult } from '../../../shared/api/define.js';
import type { MetricInfo, OutputFile, StepOutputListing } from '../../../shared/api/records.js';
import { NotFoundError, UserError } from '../../../shared/errors.js';
import { ownValue } from '../../../shared/safe-text.js';
import { readLogRange, readLogTail, stepLogPath } from '../../logs/log-file.js';
import type { CallContext } from '../context.js';
import { evenly, lttb } from '../../metrics/metric-downsample.js';
import { artifactFile, listArtifacts } from '../../runs/artifacts.js';
import { confinedFile } from '../../workspace/confined-path.js';
import { findStep, getRun, runAndStepIds } from './lookup.js';

function listFiles(root: string, max: number): { files: OutputFile[]; truncated: boolean } {
  const files: OutputFile[] = [];
  let truncated = false;
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= max) {
        truncated = true;
        return;
      }
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), r);
      else if (e.isFile()) {
        const st = statSync(join(dir, e.name));
        files.push({ path: r, size: st.size, modifiedAt: st.mtime.toISOString() });
      }
    }
  };
  if (existsSync(root)) walk(root, '');
  return { files, truncated };
}

export const runFileHandlers = {
  'runs/logs': (a, { ws }) => {
    const run = getRun(ws, a.id);
    const step = findStep(run, a.step);
    const path = stepLogPath(ws, run.id, step);
    const chunk = a.tail !== undefined ? readLogTail(path, a.tail, a.maxBytes) : readLogRange(path, a.offset ?? 0, a.maxBytes);
    return { step: step.name, stepRunId: step.id, reusedFrom: step.reusedFrom, reusedFromRun: step.reusedFromRun, path, ...chunk };
  },

  'runs/metrics': (a, { ws }) => {
    const runId = ws.store.runs.resolveId(a.id);
    const steps = ws.store.runQueries.statusTree(runId).filter((r) => r.parentId === runId);
    const stepOf = new Map(steps.map((s) => [s.id, s.name]));
    return ws.store.runQueries
      .metricNames([runId, ...steps.map((s) => s.id)])
      .map((m): MetricInfo => ({ ...m, step: stepOf.get(m.runId) ?? null }));
  },

  'runs/metric-series': (a, { ws }) => {
    const ids = runAndStepIds(ws, a.id, a.step);
    const runId = ids.stepRunId ?? ids.runId;
    const missing = () => new NotFoundError(`no metric '${a.name}' on ${a.step ? `step '${a.step}' of ` : ''}run ${ids.runId}`);
    if (a.offset !== undefined && a.limit === undefined) throw new UserError('offset pages through the points: give limit too', 'bad_request');
    if (a.limit !== undefined) {
      // A page as logged: the count comes from the series' summary, the rows from the index.
      const series = ws.store.metrics.series(runId, a.name);
      if (!series) throw missing();
      const total = series.count;
      const offset = a.offset ?? 0;
      const page = ws.store.metrics.page(runId, a.name, offset, a.limit);
      return {
        runId, name: a.name, kind: series.kind, total, downsampled: false,
        points: page.map((p, i) => ({ index: offset + i, step: p.step, value: p.value, ts: p.ts })),
        nextOffset: offset + page.length < total ? offset + page.length : null,
      };
    }
    // Long numeric series (the common case: a loss per step): downsample on flat arrays, then
    // read back only the kept points; building 100,000 point objects would cost far more.
    const flat = ws.store.metrics.numericSeries(runId, a.name);
    if (flat && flat.values.length > a.maxPoints) {
      const indexed = flat.values.map((value, index) => ({ index, value }));
      const kept = lttb(indexed, a.maxPoints, (v) => v);
      const points = ws.store.metrics.pointsById(kept.map((p) => flat.ids[p.index]));
      return {
        runId, name: a.name, kind: 'scalar' as const, total: flat.values.length, downsampled: true,
        points: points.map((p, i) => ({ index: kept[i].index, step: p.step, value: p.value, ts: p.ts })),
      };
    }
    const all = ws.store.metrics.points(runId, a.name);
    if (!all.length) throw missing();
    const kind = all[all.length - 1].kind;
    const indexed = all.map((p, index) => ({ index, value: p }));
    const numeric = kind === 'scalar' && all.every((p) => typeof p.value === 'number');
    const kept = all.length <= a.maxPoints ? indexed : numeric ? lttb(indexed, a.maxPoints, (p) => p.value as number) : evenly(indexed, a.maxPoints);
    return {
      runId, name: a.name, kind, total: all.length, downsampled: kept.length < all.length,
      points: kept.map(({ index, value: p }) => ({ index, step: p.step, value: p.value, ts: p.ts })),
    };
  },

  'runs/outputs': (a, { ws }) => {
    const run = getRun(ws, a.id);
    const out: StepOutputListing[] = [];
    for (const s of run.steps) {
      for (const [name, folder] of Object.entries(s.outputs)) {
        const { files, truncated } = listFiles(folder, a.maxFiles);
        out.push({ step: s.name, stepRunId: s.id, name, folder, exists: existsSync(folder), files, truncated });
      }
    }
    return out;
  },

  'runs/output-file': (a, { ws }): FileResult => {
    const run = getRun(ws, a.id);
    const step = findStep(run, a.step);
    const folder = ownValue(step.outputs, a.output);
    if (!folder || !existsSync(folder)) throw new NotFoundError(`step '${step.name}' of run ${run.id} has no output '${a.output}'`);
    const path = confinedFile(folder, a.path, `file in output '${a.output}'`);
    return { kind: 'file', path, name: basename(path), size: statSync(path).size };
  },

  'runs/artifacts': (a, { ws }) => {
    // A step run's id names its step (the azureml package's StepRun handles hold one).
    const id = ws.store.runs.resolveId(a.id, { steps: true });
    const state = ws.store.runs.state(id)!;
    if (state.kind === 'step') {
      const run = getRun(ws, state.parentId!);
      return listArtifacts(ws, run, run.steps.find((s) => s.id === id)!);
    }
    const run = getRun(ws, id);
    return a.step ? listArtifacts(ws, run, findStep(run, a.step)) : [];
  },

  'runs/artifact-file': (a, { ws }): FileResult => {
    const run = getRun(ws, a.id);
    return artifactFile(ws, run, findStep(run, a.step), a.path);
  },

  'runs/image': (a, { ws }): FileResult => {
    const run = getRun(ws, a.id);
    const dir = a.step ? join(ws.runDir(run.id), findStep(run, a.step).name) : ws.runDir(run.id);
    const path = confinedFile(dir, a.path, 'image');
    return { kind: 'file', path, name: basename(path), size: statSync(path).size };
  },
} satisfies Partial<HandlerMap<CallContext>>;
