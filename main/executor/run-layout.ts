// Where a run's files go (DESIGN.md section 2, docs/engine.md): runs/<runId>/<stepId>/ holds a step
// run's std_log.txt, metrics file, snapshot manifest, artifacts (outputs/, logs/), inputs/ (links
// and copies) and, while it runs, its working copy wd/; pipeline data goes to
// <datastore>/azureml/<stepRunId>/<output> (or an output's own `path`). Folders are made with
// plain (non-recursive) mkdirs where the parents exist once the run is prepared.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace.js';
import { outputFolder, type PlannedStep, type RunPlan } from './plan.js';

export const stepRunDir = (ws: Workspace, runId: string, stepId: string): string => join(ws.runDir(runId), stepId);

export class RunLayout {
  constructor(
    private readonly ws: Workspace,
    readonly runId: string,
  ) {}

  get runDir(): string {
    return this.ws.runDir(this.runId);
  }

  stepDir(stepId: string): string {
    return join(this.runDir, stepId);
  }

  logFile(stepId: string): string {
    return join(this.stepDir(stepId), 'std_log.txt');
  }

  metricsFile(stepId: string): string {
    return join(this.stepDir(stepId), 'metrics.jsonl');
  }

  /** The step run's working copy of its code (AZUREML.md section 10.4d): its current folder while it runs. */
  workingCopy(stepId: string): string {
    return join(this.stepDir(stepId), 'wd');
  }

  /** The run's folder and each output datastore's azureml/ folder. */
  prepareRun(plan: RunPlan): void {
    mkdirSync(this.runDir, { recursive: true });
    for (const ds of new Set(plan.steps.flatMap((st) => Object.values(st.outputs).map((o) => o.datastore)))) {
      mkdirSync(join(this.ws.datastorePath(ds), 'azureml'), { recursive: true });
    }
  }

  /** The step run's folder and fresh output folders; returns output name -> folder. */
  prepareStep(step: PlannedStep, stepRunId: string): Record<string, string> {
    mkdirSync(this.stepDir(step.id));
    const outputs: Record<string, string> = {};
    const made = new Set<string>();
    for (const [name, out] of Object.entries(step.outputs)) {
      const folder = outputFolder(this.ws.datastorePath(out.datastore), out, name, stepRunId);
      if (out.path) mkdirSync(folder, { recursive: true });
      else {
        const stepFolder = join(this.ws.datastorePath(out.datastore), 'azureml', stepRunId);
        if (!made.has(stepFolder)) mkdirSync(stepFolder);
        made.add(stepFolder);
        mkdirSync(folder);
      }
      outputs[name] = folder;
    }
    return outputs;
  }

  /** The snapshot manifest of the step's code: which snapshot, which files with which content, this run used. */
  writeSnapshot(step: PlannedStep): void {
    writeFileSync(
      join(this.stepDir(step.id), 'snapshot.json'),
      JSON.stringify({ source: step.sourceDir, snapshot: step.snapshot, hash: step.snapshot, files: step.codeFiles }, null, 1),
    );
  }

  /** A line from the engine in the step's log. */
  note(stepId: string, text: string): void {
    appendFileSync(this.logFile(stepId), `[millrace] ${text}\n`);
  }
}
