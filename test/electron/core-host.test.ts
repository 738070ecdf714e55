// The core the desktop app hosts: the default workspace created on first start, the REST server
// on another port when the configured one is taken, services started and stopped in order.
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore } from '../../main/core/host.js';
import { desktopServices } from '../../main/core/services.js';
import { tempWorkspace } from '../helpers/workspace.js';
import { QUICK_CONFIG } from '../server/helpers.js';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('startCore', () => {
  it('creates the workspace (with the sample) when asked, serves it and closes it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'millrace-home-'));
    cleanup.push(() => rmSync(parent, { recursive: true, force: true }));
    const dir = join(parent, 'Millrace');
    const core = await startCore(dir, { create: true, server: { port: 0, foreignRunsPollMs: 0 } });
    expect(existsSync(join(dir, 'millrace.yml'))).toBe(true);
    expect(existsSync(join(dir, 'pipelines', 'sample.yml'))).toBe(true);
    expect(core.server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(core.context()).toMatchObject({ ws: core.ws, runs: core.runs, baseUrl: core.server!.url, caller: { kind: 'session' } });
    await core.dispose();
    await core.dispose(); // idempotent
    expect(core.ws.store.isOpen).toBe(false);
  });

  it('listens on a free port, with a warning, when the configured one is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => blocker.close(r)));
    const taken = (blocker.address() as { port: number }).port;
    const tw = tempWorkspace(QUICK_CONFIG);
    cleanup.push(() => tw.cleanup());
    const warnings: string[] = [];
    const core = await startCore(tw.dir, { server: { port: taken, foreignRunsPollMs: 0 }, portFallback: true, warn: (m) => warnings.push(m) });
    cleanup.push(() => core.dispose());
    expect(core.server!.port).not.toBe(taken);
    expect(warnings[0]).toContain(`port ${taken} is in use`);
  });

  it('starts the services after the server and stops them, in reverse, before it; a failing one only warns', async () => {
    const tw = tempWorkspace(QUICK_CONFIG);
    cleanup.push(() => tw.cleanup());
    const log: string[] = [];
    const warnings: string[] = [];
    const core = await startCore(tw.dir, {
      server: { port: 0, foreignRunsPollMs: 0 },
      warn: (m) => warnings.push(m),
      services: [
        ({ runs }) => {
          log.push(`start a ${typeof runs.submit}`);
          return () => log.push('stop a');
        },
        () => {
          throw new Error('no watcher today');
        },
        async ({ ws }) => {
          log.push(`start c ${ws.dir === tw.dir}`);
          return async () => log.push(`stop c, db open: ${ws.store.isOpen}`);
        },
      ],
    });
    await core.dispose();
    expect(log).toEqual(['start a function', 'start c true', 'stop c, db open: true', 'stop a']);
    expect(warnings[0]).toContain('no watcher today');
  });

  it('runs the scheduler as the owner of the workspace; a second owner opens without it, with a warning', async () => {
    const tw = tempWorkspace(QUICK_CONFIG);
    cleanup.push(() => tw.cleanup());
    const first: string[] = [];
    const core = await startCore(tw.dir, { services: desktopServices, server: { port: 0, foreignRunsPollMs: 0 }, warn: (m) => first.push(m) });
    cleanup.push(() => core.dispose());
    expect(first).toEqual([]);
    const second: string[] = [];
    const other = await startCore(tw.dir, { services: desktopServices, server: { port: 0, foreignRunsPollMs: 0 }, warn: (m) => second.push(m) });
    await other.dispose();
    expect(second.join('\n')).toMatch(/already served/);
    await core.dispose();
    // Released on dispose: the next owner gets the workspace.
    const third: string[] = [];
    const again = await startCore(tw.dir, { services: desktopServices, server: { port: 0, foreignRunsPollMs: 0 }, warn: (m) => third.push(m) });
    await again.dispose();
    expect(third).toEqual([]);
  });
});
