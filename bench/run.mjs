// `npm run bench`: every performance target of the issues, measured on this machine.
import { loadavg } from 'node:os';
import { runEngineBench } from './engine.mjs';
import { runServeBench } from './serve.mjs';

const fmt = (ms) => (ms === undefined ? '-' : `${ms.toFixed(0)} ms`);
const report = {
  section(title, rows, extra) {
    console.log(`\n## ${title}\n`);
    console.log('| benchmark | millrace | make | snakemake | ratio |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.name} | ${fmt(r.millraceMs)} | ${fmt(r.makeMs)} | ${fmt(r.snakemakeMs)} | ${r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x ${r.vs}`} |`);
    }
    if (extra) console.log(`\n100,000 metric points from one step: ${extra.points} stored, ${extra.storedWithinMs.toFixed(0)} ms after the step's process ended (run ${extra.status})`);
  },
  serve(r) {
    console.log('\n## Serve\n');
    console.log(`${r.submits} authenticated PipelineSubmit requests of a one-step pipeline over loopback, ${r.concurrency} at a time, while the runs execute (target: p99 < 50 ms)\n`);
    console.log('| p50 | p99 | max | throughput | errors | lost runs | runs drained after the last submit |');
    console.log('|---|---|---|---|---|---|---|');
    const statuses = Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`| ${r.p50Ms.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms | ${r.maxMs.toFixed(0)} ms | ${r.throughputPerSec.toFixed(0)}/s | ${r.errors} | ${r.lost} | ${(r.drainMs / 1000).toFixed(1)} s (${statuses}) |`);
  },
};
// `npm run bench -- engine serve` runs only the named sections.
const only = process.argv.slice(2);
const want = (name) => !only.length || only.includes(name);
console.log(`Millrace benchmarks — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (want('engine')) runEngineBench(report);
if (want('serve')) await runServeBench(report);
