// `npm run bench`: every performance target of the issues, measured on this machine.
import { loadavg } from 'node:os';
import { runEngineBench } from './engine.mjs';
import { runSchedulesBench } from './schedules.mjs';
import { runServeBench } from './serve.mjs';
import { runSnapshotsBench } from './snapshots.mjs';
import { runUiBench } from './ui.mjs';

const report = {
  serve(r) {
    console.log('\n## Serve\n');
    console.log(`${r.submits} authenticated PipelineSubmit requests of a one-step pipeline over loopback, ${r.concurrency} at a time, while the runs execute (target: p99 < 50 ms)\n`);
    console.log('| p50 | p99 | max | throughput | errors | lost runs | runs drained after the last submit |');
    console.log('|---|---|---|---|---|---|---|');
    const statuses = Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`| ${r.p50Ms.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms | ${r.maxMs.toFixed(0)} ms | ${r.throughputPerSec.toFixed(0)}/s | ${r.errors} | ${r.lost} | ${(r.drainMs / 1000).toFixed(1)} s (${statuses}) |`);
  },
  ui(r) {
    console.log('\n## Studio UI\n');
    console.log(`100,000 pipeline runs (+ 100,000 step runs) and 1,000,000 metric points in the store (written in ${(r.fillMs / 1000).toFixed(1)} s); millrace serve + Debian's Chromium at 1280x800, medians\n`);
    console.log('| measure | time | target |');
    console.log('|---|---|---|');
    console.log(`| runs page's first data request (runs/list, page 1 of 2,000), over HTTP | ${r.firstRequestDirectMs.toFixed(1)} ms | < 50 ms |`);
    console.log(`| the same request as the page made it (Resource Timing) | ${r.firstRequestInPageMs.toFixed(1)} ms | < 50 ms |`);
    console.log(`| runs page interactive (navigation start -> table rows shown) | ${r.interactiveMs.toFixed(0)} ms | < 1 s |`);
    console.log(`| its total (runs/count, asked after the rows are shown) | ${r.countMs.toFixed(1)} ms | |`);
    console.log(`| search \`metrics.accuracy >= 0.5 and params.reg_rate > 0.5\`: its page (runs/list), over HTTP | ${r.searchPageMs.toFixed(1)} ms | < 50 ms |`);
    console.log(`|   the same request as the page made it, opened on that search | ${r.searchFirstInPageMs.toFixed(1)} ms | < 50 ms |`);
    console.log(`|   runs page opened on that search, interactive | ${r.searchInteractiveMs.toFixed(0)} ms | < 1 s |`);
    console.log(`|   its total (runs/count) | ${r.searchCountMs.toFixed(0)} ms | |`);
    console.log(`| sort 100,000 runs by a metric (runs/list sort=metrics.accuracy) | ${r.sortByMetricMs.toFixed(0)} ms | |`);
    console.log(`| charts across runs: their data (newest 500 runs with a metric) | ${r.chartDataMs.toFixed(0)} ms | |`);
    console.log(`| runs page with charts open, interactive -> scatter drawn | ${r.chartsDrawnMs.toFixed(0)} ms | < 1 s |`);
    console.log(`| next page of runs (click -> rows shown) | ${r.nextPageMs.toFixed(0)} ms | |`);
    console.log(`| 100,000-point metric chart: metric-series request start -> chart drawn | ${r.chartMs.toFixed(0)} ms | < 200 ms |`);
    console.log(`|   of which the server's downsampled answer (1,000 points) | ${r.seriesRequestMs.toFixed(0)} ms | |`);
    console.log(`| Metrics tab click -> chart drawn (also lists the step's metrics first) | ${r.tabToChartMs.toFixed(0)} ms | |`);
  },
  schedules({ latency: l, burst: b }) {
    console.log('\n## Schedules\n');
    console.log(`perFile data-change schedule under millrace serve: last write -> run queued, ${l.measured}/${l.files} files one at a time (target: p50 < 1 s)\n`);
    console.log('| p50 | p95 | max |');
    console.log('|---|---|---|');
    console.log(`| ${l.p50Ms} ms | ${l.p95Ms} ms | ${l.maxMs} ms |`);
    console.log(`\nBurst of ${b.files} files in one folder: written in ${(b.writtenMs / 1000).toFixed(1)} s, every file's run queued ${(b.handledMs / 1000).toFixed(1)} s after the first write (${b.filesPerSec.toFixed(0)} files/s), ${b.runs} runs, owner peak RSS ${b.peakRssMiB?.toFixed(0)} MiB (${b.peakRssBeforeBurstMiB?.toFixed(0)} MiB before the burst)`);
  },
};
// `npm run bench -- engine serve` runs only the named sections.
const only = process.argv.slice(2);
const want = (name) => !only.length || only.includes(name);
console.log(`Millrace benchmarks — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (want('engine')) await runEngineBench();
if (want('snapshots')) await runSnapshotsBench();
if (want('serve')) await runServeBench(report);
if (want('schedules')) await runSchedulesBench(report);
if (want('ui')) await runUiBench(report);
