// One owner per workspace fires its schedules and watches its data (DESIGN.md section 8): a row in the store
// with the owner's pid and process start time. A second owner is refused while the first one lives; a dead
// owner's row (kill -9, power loss) is taken over, and a recycled pid is not mistaken for it.
import { UserError } from '../../shared/errors.js';
import { isSameProcessAlive, selfIdentity } from '../executor/process-identity.js';
import type { Workspace } from '../workspace/workspace.js';

/** Workspaces this process owns (a second owner inside one process is refused too). */
const held = new Set<string>();

/** Takes the lock or throws a UserError (code `locked`) naming the live owner; returns the release function. */
export function acquireOwnerLock(ws: Workspace, description = 'millrace serve'): () => void {
  const me = selfIdentity();
  if (held.has(ws.dir)) throw new UserError(`workspace ${ws.dir} is already served by this process`, 'locked');
  const isMe = (o: { pid: number; start: string }) => o.pid === me.pid && o.start === me.start;
  const holder = ws.store.schedules.claimOwner({ ...me, description }, (o) => !isMe(o) && isSameProcessAlive(o.pid, o.start));
  if (holder) {
    throw new UserError(
      `workspace ${ws.dir} is already served by ${holder.description}${holder.description.includes(`pid ${holder.pid}`) ? '' : ` (pid ${holder.pid})`}, ` +
        `since ${new Date(holder.acquiredAt).toISOString()}; ` +
        'only one process may run its schedules and watchers: stop it first, or pass --no-schedules',
      'locked',
    );
  }
  held.add(ws.dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(ws.dir);
    if (ws.store.isOpen) ws.store.schedules.releaseOwner(me.pid, me.start);
  };
}
