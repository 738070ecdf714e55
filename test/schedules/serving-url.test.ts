// Bug 9 of issue 14: `publish` and `endpoint list` printed :8765 URLs whatever port `serve` used, and
// a REST submit's RunUrl was a JSON API address. The workspace's owner records the URL it serves on;
// servingBaseUrl() answers it while that owner lives (else millrace.yml's), and RunUrl is a studio link.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireOwnerLock } from '../../main/schedules/owner-lock.js';
import { recordServingUrl, servingBaseUrl } from '../../main/schedules/serving-url.js';
import { cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { serve } from '../server/helpers.js';

let tw: TempWorkspace | undefined;
afterEach(() => tw?.cleanup());

describe('the serving URL', () => {
  it("is millrace.yml's without an owner, the owner's while it lives, millrace.yml's again after", () => {
    tw = tempWorkspace('server: { port: 9123 }\n');
    const ws = tw.open();
    expect(servingBaseUrl(ws)).toBe('http://127.0.0.1:9123');
    const release = acquireOwnerLock(ws);
    expect(servingBaseUrl(ws)).toBe('http://127.0.0.1:9123');
    recordServingUrl(ws, 'http://127.0.0.1:40111');
    expect(servingBaseUrl(ws)).toBe('http://127.0.0.1:40111');
    release();
    expect(servingBaseUrl(ws)).toBe('http://127.0.0.1:9123');

    // An owner row left by a dead process (kill -9) names no live server.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    ws.store.schedules.claimOwner({ pid: dead, start: '12345', description: 'millrace serve' }, () => false);
    ws.store.schedules.setOwnerUrl(dead, '12345', 'http://127.0.0.1:40222');
    expect(servingBaseUrl(ws)).toBe('http://127.0.0.1:9123');
    ws.close();
  });

  it('`millrace serve --port 0` records the port it got', async () => {
    tw = tempWorkspace();
    const proc = cliAsync(['serve', '-w', tw.dir, '--port', '0', '--json']);
    let out = '';
    const ready = await new Promise<{ url: string }>((resolve, reject) => {
      proc.stdout!.on('data', (d) => {
        out += d;
        try {
          resolve(JSON.parse(out));
        } catch {
          /* not all of it yet */
        }
      });
      proc.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    const ws = tw.open();
    try {
      expect(ready.url).not.toContain(':8765');
      expect(servingBaseUrl(ws)).toBe(ready.url);
    } finally {
      ws.close();
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    }
  });
});

describe('RunUrl of a REST submit', () => {
  it('is the studio link of the run', async () => {
    const s = await serve();
    try {
      s.tw.write('pipelines/one.yml', 'name: one\nsteps:\n  a:\n    type: command\n    command: [python3, -c, "print(1)"]\n');
      const p = await s.api('POST', '/api/v1/published-pipelines', { file: 'one.yml', name: 'one' });
      const r = await s.api('POST', `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${p.id}`, { ExperimentName: 'e' });
      expect(r.RunUrl).toBe(`${s.server.url}/#/runs/${r.Id}`);
      await s.waitFor(r.Id);
    } finally {
      await s.stop();
    }
  });
});
