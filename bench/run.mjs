// `npm run bench`: every performance target of the issues, measured on this machine.
import { runEngineBench } from './engine.mjs';

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
};
console.log(`Millrace benchmarks — node ${process.version}, ${new Date().toISOString()}`);
runEngineBench(report);
