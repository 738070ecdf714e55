// Timing whole processes for the benches: wall time around the child, its peak RSS from GNU time
// (wait4's rusage) when /usr/bin/time is there, and interleaved pairs so that a neighbour's load
// on the shared machine hits both sides of a ratio alike.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);
const rssFile = join(tmpdir(), `millrace-bench-rss-${process.pid}`);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs a command to its end: { ms, rssKiB, stdout }; throws with its stderr when it fails. */
export function runTimed(cmd, args, opts = {}) {
  const [c, a] = hasTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(c, a, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-2000)}`);
  let rssKiB;
  if (hasTime) {
    rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    rmSync(rssFile, { force: true });
  }
  return { ms, rssKiB, stdout: r.stdout };
}

/**
 * `pairs` rounds of (a, b), the order alternating; each side returns { ms, rssKiB? } (sync or async).
 * Medians of each side, the median of the per-pair ratios a/b, and a's peak RSS.
 */
export async function interleave(pairs, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2) {
      bs.push(await b(i));
      as.push(await a(i));
    } else {
      as.push(await a(i));
      bs.push(await b(i));
    }
  }
  const rss = as.map((x) => x.rssKiB).filter((x) => x !== undefined);
  return {
    aMs: median(as.map((x) => x.ms)),
    bMs: median(bs.map((x) => x.ms)),
    ratio: median(as.map((x, i) => x.ms / bs[i].ms)),
    aRssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
    aAll: as.map((x) => x.ms),
    bAll: bs.map((x) => x.ms),
  };
}
