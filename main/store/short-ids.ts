// Short run ids as git abbreviates commits: the shortest prefix no other run row shares (step runs
// count: a pipeline run and its steps are made in the same millisecond and share a long prefix),
// never under MIN_SHORT_ID characters. Ids sort by time, so a prefix, once shown, is not taken by
// a later run (it would have to be made within the same few milliseconds).
import type { DB } from './database.js';

export const MIN_SHORT_ID = 8;

const commonPrefix = (a: string, b: string | undefined): number => {
  if (!b) return 0;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

export class ShortIds {
  private readonly before;
  private readonly after;

  constructor(db: DB) {
    // Two primary-key probes per id: its neighbours in sort order hold the longest shared prefixes.
    this.before = db.prepare('SELECT id FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1').pluck();
    this.after = db.prepare('SELECT id FROM runs WHERE id > ? ORDER BY id LIMIT 1').pluck();
  }

  of(id: string): string {
    const shared = Math.max(commonPrefix(id, this.before.get(id) as string | undefined), commonPrefix(id, this.after.get(id) as string | undefined));
    return id.slice(0, Math.max(MIN_SHORT_ID, shared + 1));
  }
}
