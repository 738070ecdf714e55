// Bug 5 of issue 14: files a step uploads (run.upload_file, runs/<run>/<step>/outputs/) or writes to
// its logs/ folder were not shown anywhere. runs/artifacts lists them (docs/bridge.md's shape) with
// the step's std_log.txt as user_logs/std_log.txt; runs/artifact-file serves one, nothing outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from './helpers.js';

let s: Served;
let runId: string;
const SCRIPT = `import os
from millrace import Run
run = Run.get_context()
run.upload_file("outputs/model.txt", b"weights")
run.upload_file("reports/summary.csv", b"a,b\\n1,2\\n")
logs = os.path.join(os.environ["MILLRACE_RUN_DIR"], "logs")
os.makedirs(logs, exist_ok=True)
open(os.path.join(logs, "train.log"), "w").write("epoch 1\\n")
print("done")
`;

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/upload.py', SCRIPT);
  s.tw.write('pipelines/upload.yml', 'name: upload\nsteps:\n  train:\n    type: python\n    script: upload.py\n  again:\n    type: python\n    script: upload.py\n    run_after: [train]\n');
  runId = (await s.api('POST', '/api/v1/runs', { file: 'upload.yml', experiment: 'art' })).id;
  expect((await s.waitFor(runId)).status).toBe('Completed');
});
afterAll(() => s.stop());

describe('step artifacts', () => {
  it("lists a step's uploaded outputs, its logs/ files and its std_log.txt, sorted by path", async () => {
    const list = await s.api('GET', `/api/v1/runs/${runId}/artifacts?step=train`);
    expect(list.map((a: any) => a.path)).toEqual(['logs/train.log', 'outputs/model.txt', 'outputs/reports/summary.csv', 'user_logs/std_log.txt']);
    expect(list[1]).toMatchObject({ size: 7 });
    expect(list[1].absolutePath).toBe(`${s.tw.dir}/runs/${runId}/train/outputs/model.txt`);
    expect(typeof list[1].modifiedAt).toBe('string');
    expect(await s.api('GET', `/api/v1/runs/${runId}/artifacts`)).toEqual([]);
  });

  it('serves one artifact and refuses paths outside the artifacts', async () => {
    const r = await s.http('GET', `/api/v1/runs/${runId}/artifact-file?step=train&path=outputs%2Fmodel.txt`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('weights');
    const log = await s.http('GET', `/api/v1/runs/${runId}/artifact-file?step=train&path=user_logs%2Fstd_log.txt`);
    expect(log.text).toContain('done');
    for (const bad of ['metrics.jsonl', 'outputs/../metrics.jsonl', '../train/snapshot.json', 'outputs', 'user_logs/other.txt', '/etc/passwd']) {
      const x = await s.http('GET', `/api/v1/runs/${runId}/artifact-file?step=train&path=${encodeURIComponent(bad)}`);
      expect(x.status, bad).toBe(404);
    }
  });

  it("a reused step lists the artifacts of the run it reused", async () => {
    const second = (await s.api('POST', '/api/v1/runs', { file: 'upload.yml', experiment: 'art' })).id;
    const done = await s.waitFor(second);
    const from = done.steps.find((x: any) => x.name === 'train').reusedFromRun;
    expect(from.id).toBe(runId);
    const list = await s.api('GET', `/api/v1/runs/${second}/artifacts?step=train`);
    expect(list.map((a: any) => a.absolutePath)).toContain(`${s.tw.dir}/runs/${runId}/${from.step}/outputs/model.txt`);
    expect(list.map((a: any) => a.path)).toContain('user_logs/std_log.txt');
  });
});
