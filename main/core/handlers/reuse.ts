// Reuse you can see (docs/reuse.md): why a step was (not) reused.
import type { HandlerMap } from '../../../shared/api/contract.js';
import type { CallContext } from '../context.js';
import { explainStep } from '../../reuse/why.js';
import { runAndStepIds } from './lookup.js';

export const reuseHandlers = {
  'runs/why': (a, { ws }) => explainStep(ws, runAndStepIds(ws, a.id, a.step).stepRunId!, a.against),
} satisfies Partial<HandlerMap<CallContext>>;
