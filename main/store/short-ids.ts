// Short run ids as git abbreviates commits: the shortest prefix no other run row shares (step runs
// count: a pipeline run and its steps are made in the same millisecond and share a long prefix),
// never under MIN_SHORT_ID characters. Ids sort by time, so a prefix, once shown, is not taken by
// a later run (it would have to be made within the same few milliseconds).
import { Table } from './statements.js';

export const MIN_SHORT_ID = 8;

const commonPrefix = (a: string, b: string | undefined): number => {
  if (!b) return 0;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

export class ShortIds extends Table {
  of(id: string): string {
    // Two primary-key probes per id: its neighbours in sort order hold the longest shared prefixes.
    const before = this.sql('SELECT id FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1', { pluck: true }).get(id) as string | undefined;
    const after = this.sql('SELECT id FROM runs WHERE id > ? ORDER BY id LIMIT 1', { pluck: true }).get(id) as string | undefined;
    const shared = Math.max(commonPrefix(id, before), commonPrefix(id, after));
    return id.slice(0, Math.max(MIN_SHORT_ID, shared + 1));
  }
}
