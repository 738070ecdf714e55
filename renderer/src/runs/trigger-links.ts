// What started a run, as words with links (issue 14): a schedule to its row, a REST submit to its
// endpoint and token, a run of a file to that file, a rerun to the run it repeated.
import type { RunBase } from '../../../shared/types.js';
import { href } from '../lib/router.svelte.js';
import { runHref } from './links.js';

export interface Part {
  text: string;
  href?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function triggerParts(run: Pick<RunBase, 'trigger' | 'published' | 'pipelineFile'>): Part[] {
  const t = run.trigger;
  const parts: Part[] = [];
  if (!t) return [{ text: '–' }];
  // Each kind has its own fields (shared/types.ts); read them loosely, each checked as it is used.
  const f = t as unknown as Record<string, unknown>;
  const schedule = str(f.schedule);
  const scheduleId = str(f.scheduleId);
  switch (t.kind) {
    case 'schedule':
      parts.push({ text: f.runNow ? 'run now of schedule' : 'schedule' }, { text: schedule ?? scheduleId ?? '?', href: href('/schedules', { open: scheduleId ?? schedule }) });
      if (str(f.fireTime)) parts.push({ text: `at ${str(f.fireTime)!.replace('T', ' ')}` });
      break;
    case 'dataChange':
      parts.push({ text: 'data change of' }, { text: str(f.path) ?? 'files' }, { text: 'by schedule' }, { text: schedule ?? '?', href: href('/schedules', { open: scheduleId ?? schedule }) });
      break;
    case 'rest':
      parts.push({ text: 'REST, token' }, { text: str(f.token) ?? '?', href: '#/tokens' });
      break;
    default:
      parts.push({ text: t.kind });
  }
  if (run.published) {
    parts.push({ text: run.published.endpoint ? 'via endpoint' : 'of published pipeline' });
    parts.push({ text: run.published.endpoint ?? `${run.published.name} ${run.published.version}`, href: href('/endpoints', { show: run.published.endpoint ?? run.published.id }) });
    if (run.published.endpoint) parts.push({ text: `version ${run.published.version}` });
  } else if (run.pipelineFile) {
    parts.push({ text: 'of' }, { text: run.pipelineFile.replace(/\\/g, '/').replace(/^.*\/pipelines\//, 'pipelines/'), href: href('/pipelines', { file: run.pipelineFile }) });
  }
  const rerunOf = str(t.rerunOf);
  if (rerunOf) parts.push({ text: '· rerun of' }, { text: rerunOf.slice(0, 8), href: runHref(rerunOf) });
  return parts;
}
