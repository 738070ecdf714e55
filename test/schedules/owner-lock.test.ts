// The workspace owner lock: one owner at a time, a dead owner's row is taken over, released on dispose.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireOwnerLock } from '../../main/schedules/owner-lock.js';
import { UserError } from '../../shared/errors.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace | undefined;
afterEach(() => tw?.cleanup());

describe('owner lock', () => {
  it('refuses a second owner, takes over a dead one, releases on dispose', () => {
    tw = tempWorkspace();
    const ws = tw.open();
    const release = acquireOwnerLock(ws);
    expect(ws.store.schedules.owner()).toMatchObject({ pid: process.pid });
    const second = (() => {
      try {
        acquireOwnerLock(ws);
      } catch (e) {
        return e;
      }
    })();
    expect(second).toBeInstanceOf(UserError);
    expect((second as UserError).code).toBe('locked');
    release();
    expect(ws.store.schedules.owner()).toBeUndefined();

    // A row left by a process that is gone (kill -9): taken over.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    ws.store.schedules.claimOwner({ pid: dead, start: '12345', description: 'millrace serve' }, () => false);
    const release2 = acquireOwnerLock(ws);
    expect(ws.store.schedules.owner()).toMatchObject({ pid: process.pid });
    release2();
    ws.close();
  });
});
