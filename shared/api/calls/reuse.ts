// Cache retention and lineage (docs/reuse.md); `runs/why` is with the run calls.
import { z } from 'zod';
import { call } from '../define.js';
import type { ExperimentUsage, GcResult, LineageRecord } from '../reuse-records.js';
import { qbool, qint } from './fields.js';

export const reuseCalls = {
  'workspace/gc': call<GcResult>()({
    method: 'POST', path: '/gc',
    args: z.strictObject({
      keepLast: qint(0, 1e6).optional().describe('keep the newest N runs of each experiment'),
      olderThan: z.string().regex(/^\d+\s*[mhdw]$/, 'expected a number and a unit (m, h, d or w), e.g. 30d').optional().describe('keep runs newer than this (30d, 12h, 2w)'),
      dryRun: qbool.default(false).describe('only list what gc would delete'),
    }),
    summary: 'delete the run folders and output folders of runs reuse no longer needs (or, with keepLast/olderThan, that the policy lets go); records stay, outputs are marked deleted',
  }),
  'experiments/usage': call<ExperimentUsage[]>()({
    method: 'GET', path: '/experiments/usage', args: z.strictObject({}),
    summary: 'disk space each experiment takes: its run folders and the output folders its runs made',
  }),
  'lineage/get': call<LineageRecord>()({
    method: 'GET', path: '/lineage',
    args: z.strictObject({
      path: z.string().min(1).max(4096).optional().describe('a file or folder of pipeline data (absolute, or relative to the workspace)'),
      dataset: z.string().min(1).max(256).optional().describe('a registered dataset name'),
      version: qint(1, 1e9).optional().describe('its version (default: the latest)'),
    }).refine((a) => !!a.path !== !!a.dataset, 'give either path or dataset'),
    summary: 'which step run made a file or dataset version (from which inputs and code) and which step runs consumed it',
  }),
};
