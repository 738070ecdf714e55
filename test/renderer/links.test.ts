// Bug 3 of issue 14: "reused from …" and "Log of the reused run" pointed at a step-run id, which no page shows.
import { describe, expect, it } from 'vitest';
import { parseHash } from '../../renderer/src/lib/router.svelte.js';
import { reusedHref, runHref } from '../../renderer/src/runs/links.js';

describe('run links', () => {
  it('a reused step links to the pipeline run it came from, with that step selected', () => {
    const link = reusedHref({ id: '0mx4k9rw00abcdef', shortId: '0mx4k9rw0', step: 'prepare_data' }, 'log');
    expect(parseHash(link)).toEqual({ parts: ['runs', '0mx4k9rw00abcdef'], query: { step: 'prepare_data', tab: 'log' } });
  });
  it('encodes ids and leaves out empty parts', () => {
    expect(runHref('a/b')).toBe('#/runs/a%2Fb');
  });
});
