// The one loader helper the pages share (issue 11): a value, its error, loading, stale answers
// dropped; act() shows a notice or the error and reloads.
import { describe, expect, it } from 'vitest';
import { act, Loader } from '../../renderer/src/lib/loader.svelte.js';

describe('Loader', () => {
  it('holds the answer, or the error, and drops an answer older than the newest request', async () => {
    const answers: ((v: string) => void)[] = [];
    const l = new Loader(() => new Promise<string>((r) => answers.push(r)));
    const first = l.load();
    const second = l.load();
    expect(l.loading).toBe(true);
    answers[1]('new');
    await second;
    answers[0]('old');
    await first;
    expect(l.value).toBe('new');
    expect(l.loading).toBe(false);

    const failing = new Loader(() => Promise.reject(Object.assign(new Error('no such schedule'), { details: ['name: x'] })));
    await failing.load();
    expect(failing.error).toBe('no such schedule\nname: x');
  });
});

describe('act', () => {
  it('shows a notice made from the result and reloads; on failure shows the error and does not reload', async () => {
    const shown: [string, string | undefined][] = [];
    const notices = { show: (text: string, kind?: 'info' | 'error') => void shown.push([text, kind]) };
    let reloads = 0;
    expect(await act((r: { id: string }) => `Started ${r.id}`, async () => ({ id: 'r1' }), () => reloads++, notices)).toBe(true);
    expect(await act('Deleted', () => Promise.reject(new Error('locked')), () => reloads++, notices)).toBe(false);
    expect(shown).toEqual([['Started r1', undefined], ['locked', 'error']]);
    expect(reloads).toBe(1);
  });
});
