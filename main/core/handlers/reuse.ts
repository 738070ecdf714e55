// Reuse you can see (docs/reuse.md): why a step was (not) reused, gc, disk use, lineage.
import type { HandlerMap } from '../../../shared/api/contract.js';
import { UserError } from '../../../shared/errors.js';
import type { CallContext } from '../context.js';
import { experimentUsage, parseAge, runGc } from '../../reuse/gc.js';
import { lineage } from '../../reuse/lineage.js';
import { explainStep } from '../../reuse/why.js';
import { runAndStepIds } from './lookup.js';

export const reuseHandlers = {
  'runs/why': (a, { ws }) => explainStep(ws, runAndStepIds(ws, a.id, a.step).stepRunId!, a.against),
  'workspace/gc': (a, { ws, caller }) => {
    // Deleting files is for the people at this workspace (CLI, studio), not for a script's token.
    if (caller.kind === 'token' && !a.dryRun) throw new UserError('workspace/gc deletes files: run it from the CLI or the studio (a token may ask for dryRun only)', 'forbidden');
    return runGc(ws, { keepLast: a.keepLast, olderThanMs: a.olderThan === undefined ? undefined : parseAge(a.olderThan, 'olderThan'), dryRun: a.dryRun });
  },
  'experiments/usage': (_a, { ws }) => experimentUsage(ws),
  'lineage/get': (a, { ws }) => lineage(ws, a),
} satisfies Partial<HandlerMap<CallContext>>;
