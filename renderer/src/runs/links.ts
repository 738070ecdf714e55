// Where the studio links a run, a step of a run, and the run a reused step took its outputs from.
import type { ReusedFrom } from '../../../shared/types.js';
import { href } from '../lib/router.svelte.js';

export const runHref = (runId: string, query: { step?: string; tab?: string } = {}): string => href(`/runs/${encodeURIComponent(runId)}`, query);

/** A reused step's source: its pipeline run with that step selected (a step-run id is no page). */
export const reusedHref = (r: ReusedFrom, tab?: string): string => runHref(r.id, { step: r.step, tab });
