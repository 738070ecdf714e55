// Lineage (docs/reuse.md): which step run made a piece of pipeline data or a dataset version,
// from which inputs and code, and which step runs consumed it. Derived from what every run
// records anyway (step definitions with their resolved inputs, and output folders), so it covers
// runs made before this existed.
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { LineageConsumer, LineageProducer, LineageRecord, LineageStepRef } from '../../shared/api/reuse-records.js';
import { NotFoundError } from '../../shared/errors.js';
import type { PlannedInput, PlannedStep } from '../executor/plan.js';
import type { ReuseStep } from '../store/reuse-store.js';
import type { Workspace } from '../workspace/workspace.js';

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
const overlaps = (a: string, b: string) => within(a, b) || within(b, a);
const defOf = (s: ReuseStep) => s.definition as Partial<PlannedStep>;

function ref(ws: Workspace, s: ReuseStep): LineageStepRef {
  return {
    runId: s.runId, shortId: ws.store.runs.shortId(s.runId), pipeline: s.pipeline, experiment: s.experiment,
    step: s.name, stepRunId: s.id, status: s.status, createdAt: new Date(s.createdAt).toISOString(),
  };
}

function inputFrom(inp: PlannedInput): string {
  if (inp.kind === 'step') return `output ${inp.output} of step ${inp.step}`;
  if (inp.dataset) return `dataset ${inp.dataset.name}:${inp.dataset.version}`;
  return inp.patterns.map((p) => `${p.datastore}:${p.relPath}`).join(', ');
}

/** The newest step run (not a reuse) with an output folder holding `path`. */
function producerOf(ws: Workspace, steps: ReuseStep[], path: string): LineageProducer | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.reusedFrom) continue;
    for (const [output, folder] of Object.entries(s.outputs)) {
      if (!within(path, folder) && !within(folder, path)) continue;
      const d = defOf(s);
      return {
        ...ref(ws, s), output, folder,
        code: { snapshot: d.snapshot ?? null, script: d.script ?? null, files: d.codeFiles?.length ?? 0 },
        parameters: (d.parameters ?? {}) as LineageProducer['parameters'],
        inputs: Object.entries(d.inputs ?? {}).map(([name, inp]) => ({ name, from: inputFrom(inp) })),
      };
    }
  }
  return null;
}

/** Step runs that read the producer's output through a step edge (in its run, or in runs that reused it). */
function stepConsumers(ws: Workspace, producer: LineageProducer): LineageConsumer[] {
  const out: LineageConsumer[] = [];
  const makers = [ws.store.reuse.step(producer.stepRunId)!, ...ws.store.reuse.reusersOf(producer.stepRunId)];
  for (const m of makers) {
    for (const s of ws.store.reuse.stepsOf(m.runId)) {
      for (const [input, inp] of Object.entries(defOf(s).inputs ?? {})) {
        if (inp.kind === 'step' && inp.step === m.name && inp.output === producer.output) out.push({ ...ref(ws, s), input, via: 'step', reused: !!s.reusedFrom });
      }
    }
  }
  return out;
}

/** Step runs whose datastore-path or dataset inputs cover `roots`, or name the dataset version. */
function pathConsumers(ws: Workspace, steps: ReuseStep[], roots: string[], dataset: { name: string; version: number } | null): LineageConsumer[] {
  const out: LineageConsumer[] = [];
  for (const s of steps) {
    for (const [input, inp] of Object.entries(defOf(s).inputs ?? {})) {
      if (inp.kind !== 'path') continue;
      const named = dataset && inp.dataset?.name === dataset.name && inp.dataset.version === dataset.version;
      if (named || inp.patterns.some((p) => roots.some((r) => overlaps(p.fixed, r)))) {
        out.push({ ...ref(ws, s), input, via: inp.dataset ? 'dataset' : 'path', reused: !!s.reusedFrom });
      }
    }
  }
  return out;
}

export function lineage(ws: Workspace, q: { path?: string; dataset?: string; version?: number }): LineageRecord {
  const steps = ws.store.reuse.allSteps();
  let roots: string[];
  let dataset: { name: string; version: number } | null = null;
  let path: string;
  if (q.dataset) {
    const d = ws.store.datasets.get(q.dataset, q.version);
    dataset = { name: d.name, version: d.version };
    roots = d.paths.map((p) => {
      const segs = p.path.split('/').filter(Boolean);
      const cut = segs.findIndex((x) => /[*?[{]/.test(x));
      return join(ws.datastorePath(p.datastore), ...(cut < 0 ? segs : segs.slice(0, cut)));
    });
    path = roots[0];
  } else {
    path = isAbsolute(q.path!) ? resolve(q.path!) : resolve(ws.dir, q.path!);
    roots = [path];
  }
  const producer = producerOf(ws, steps, path);
  const seen = new Set<string>();
  const consumers = [...(producer ? stepConsumers(ws, producer) : []), ...pathConsumers(ws, steps, roots, dataset)].filter((c) => {
    const k = `${c.stepRunId}\0${c.input}`;
    return !seen.has(k) && !!seen.add(k);
  });
  // Data from outside any pipeline (a raw file) still has its readers; a path nobody made or read is unknown.
  if (!producer && !dataset && !consumers.length) throw new NotFoundError(`no step run made or read ${path} (lineage knows the output folders and inputs of pipeline runs)`);
  return { target: { kind: dataset ? 'dataset' : 'path', path, dataset }, producer, consumers };
}
