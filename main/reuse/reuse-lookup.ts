// Finding a run to reuse (DESIGN.md section 4): the newest Completed step run with the same reuse
// key whose outputs are still there with the content they had when it ended.
import { existsSync } from 'node:fs';
import type { RunStore } from '../store/run-store.js';
import type { ContentHasher } from './content-hasher.js';

export interface Reusable {
  /** The step run that produced the outputs (the original, when the candidate was itself reused). */
  source: string;
  outputs: Record<string, string>;
  outputHashes: Record<string, string>;
  exitCode: number | null;
}

/** A candidate with the right key that was not reused, and why (what `runs why` says). */
export interface ReuseMiss {
  /** The candidate step run (the original when it was itself reused). */
  source: string;
  output: string;
  reason: 'deleted' | 'edited';
}

/**
 * `excludeRun`: the pipeline run asking (a step never reuses a sibling of its own run).
 * `misses` collects the candidates skipped because their outputs are gone or changed.
 */
export async function findReusable(
  runs: RunStore,
  hasher: ContentHasher,
  key: string,
  excludeRun: string,
  signal?: AbortSignal,
  misses?: ReuseMiss[],
): Promise<Reusable | undefined> {
  for (const cand of runs.reuseCandidates(key)) {
    signal?.throwIfAborted();
    if (cand.parentId === excludeRun || !cand.outputs || !cand.outputHashes) continue;
    const { outputs, outputHashes } = cand;
    let intact = true;
    for (const [name, path] of Object.entries(outputs)) {
      const gone = !existsSync(path);
      if (gone || (await hasher.hashPath(path, undefined, signal)).hash !== outputHashes[name]) {
        misses?.push({ source: cand.reusedFrom ?? cand.id, output: name, reason: gone ? 'deleted' : 'edited' });
        intact = false;
        break;
      }
    }
    if (intact) return { source: cand.reusedFrom ?? cand.id, outputs, outputHashes, exitCode: cand.exitCode };
  }
  return undefined;
}
