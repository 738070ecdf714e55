// The run page's trigger links to its schedule, endpoint and token, or file (issue 14).
import { describe, expect, it } from 'vitest';
import { triggerParts } from '../../renderer/src/runs/trigger-links.js';

describe('trigger links', () => {
  it('a scheduled run links its schedule and its endpoint', () => {
    const parts = triggerParts({
      trigger: { kind: 'schedule', schedule: 'nightly', scheduleId: 's-1', fireTime: '2026-03-01T02:30:00+01:00' },
      published: { id: 'p-1', name: 'training', version: '1.0', endpoint: 'training' },
      pipelineFile: '/ws/published/p-1/sample.yml',
    });
    expect(parts).toEqual([
      { text: 'schedule' }, { text: 'nightly', href: '#/schedules?open=s-1' }, { text: 'at 2026-03-01 02:30:00+01:00' },
      { text: 'via endpoint' }, { text: 'training', href: '#/endpoints?show=training' }, { text: 'version 1.0' },
    ]);
  });

  it('a REST run links its token; a rerun of a file run links the file and the run it repeated', () => {
    expect(triggerParts({ trigger: { kind: 'rest', token: 'ci-bot' }, published: { id: 'p-1', name: 'training', version: '2', endpoint: null }, pipelineFile: null })).toEqual([
      { text: 'REST, token' }, { text: 'ci-bot', href: '#/tokens' }, { text: 'of published pipeline' }, { text: 'training 2', href: '#/endpoints?show=p-1' },
    ]);
    expect(triggerParts({ trigger: { kind: 'manual', rerunOf: '0mx4k9rw00abcdef' }, published: null, pipelineFile: '/home/me/ws/pipelines/sample.yml' })).toEqual([
      { text: 'manual' }, { text: 'of' }, { text: 'pipelines/sample.yml', href: '#/pipelines?file=%2Fhome%2Fme%2Fws%2Fpipelines%2Fsample.yml' },
      { text: '· rerun of' }, { text: '0mx4k9rw', href: '#/runs/0mx4k9rw00abcdef' },
    ]);
  });
});
