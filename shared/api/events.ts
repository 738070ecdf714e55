// The event stream of run and step status changes (HTTP: server-sent events at /api/v1/events).
import { z } from 'zod';
import type { RunStatus } from '../constants.js';

export interface RunStatusEvent {
  type: 'run';
  runId: string;
  status: RunStatus;
  error?: string | null;
}

export interface StepStatusEvent {
  type: 'step';
  runId: string;
  stepRunId: string;
  step: string;
  status: RunStatus;
  reusedFrom?: string | null;
  error?: string | null;
  attempt?: number;
  /** A step on a Slurm target: its job as last seen. */
  job?: { id: string; node: string | null; state: string | null };
}

export type ApiEvent = RunStatusEvent | StepStatusEvent;

/** Event name -> payload: SSE `event:` names, and the channels of the Electron IPC bridge. */
export interface ApiEventMap {
  run: RunStatusEvent;
  step: StepStatusEvent;
}

/** Under /api/v1. */
export const EVENTS_PATH = '/events';
export const eventsArgs = z.strictObject({ runId: z.string().min(1).optional() });
