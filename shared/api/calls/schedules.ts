// Schedules (DESIGN.md section 8): recurrence and data-change triggers of published pipelines.
import { z } from 'zod';
import { DATA_CHANGE_MODES, type ScheduleRecord, type ScheduleRunRecord } from '../../schedules.js';
import { call } from '../define.js';
import type { Page } from '../records.js';
import type { RunRecord } from '../../types.js';
import { safeText, TEXT_LIMITS } from '../../safe-text.js';
import { experimentName, id, oneOf, paramValues, qint } from './fields.js';

const key = z.string().min(1).max(250).describe('schedule id, or a name no other schedule has');

/** Schedule names (AZUREML.md section 10.4g): any text of 1-250 characters without control characters; names need not be unique. */
export const scheduleName = safeText(250).check(
  z.refine((s: string) => s.trim().length > 0, 'a schedule name may not be empty'),
  z.refine((s: string) => !/[\u0000-\u001f\u007f]/.test(s), 'a schedule name holds no control characters'),
);

const scheduleDefinition = {
  name: scheduleName,
  pipeline: id.describe('published pipeline id or pipeline endpoint name'),
  pipelineVersion: z.string().min(1).optional(),
  experiment: experimentName,
  parameters: paramValues.optional(),
  /** ScheduleRecurrence ({frequency, interval, hours, ...}) or {cron, timeZone}; checked by the core. */
  recurrence: z.record(z.string(), z.unknown()).optional(),
  dataChange: z
    .strictObject({
      datastore: safeText(TEXT_LIMITS.key).check(z.minLength(1)),
      path: safeText(TEXT_LIMITS.path).default(''),
      glob: safeText(TEXT_LIMITS.path).check(z.minLength(1)).optional(),
      mode: oneOf(DATA_CHANGE_MODES).default('perFile'),
      dataPathParameterName: safeText(TEXT_LIMITS.key).check(z.minLength(1)).optional(),
      polling: z.boolean().default(false),
    })
    .optional(),
  catchUp: z.boolean().default(false),
  enabled: z.boolean().default(true),
  description: safeText(TEXT_LIMITS.description).nullable().optional(),
  continueOnStepFailure: z.boolean().nullable().optional(),
  /** The SDK's polling_interval in minutes: recorded, never used (the watcher is faster). */
  pollingInterval: z.int().min(0).max(1_000_000).nullable().optional(),
};

export const scheduleCalls = {
  'schedules/list': call<ScheduleRecord[]>()({
    method: 'GET', path: '/schedules', args: z.strictObject({}),
    summary: 'schedules with their next fire time, by name',
  }),
  'schedules/get': call<ScheduleRecord>()({
    method: 'GET', path: '/schedules/:name', args: z.strictObject({ name: key }),
    summary: 'one schedule (by name or id)',
  }),
  'schedules/create': call<ScheduleRecord>()({
    method: 'POST', path: '/schedules',
    args: z.strictObject({ ...scheduleDefinition, allowDuplicateName: z.boolean().default(false).describe('a name another schedule has is fine (a new id)') }),
    summary: 'create a schedule: a recurrence or a data change that submits a published pipeline',
  }),
  'schedules/update': call<ScheduleRecord>()({
    method: 'POST', path: '/schedules/:name/update',
    args: z.strictObject({ ...scheduleDefinition, name: key, newName: scheduleName.optional().describe('rename it (the id stays)'), enabled: z.boolean().optional() }),
    summary: 'edit or rename a schedule (checked as create; the kind and the id stay); the clock restarts at the edit, handled data files stay',
  }),
  'schedules/enable': call<ScheduleRecord>()({
    method: 'POST', path: '/schedules/:name/enable', args: z.strictObject({ name: key }),
    summary: 'enable a schedule (slots missed while it was disabled do not fire)',
  }),
  'schedules/disable': call<ScheduleRecord>()({
    method: 'POST', path: '/schedules/:name/disable', args: z.strictObject({ name: key }),
    summary: 'disable a schedule: it fires nothing until enabled again',
  }),
  'schedules/delete': call<ScheduleRecord>()({
    method: 'DELETE', path: '/schedules/:name', args: z.strictObject({ name: key }),
    summary: 'delete a schedule (the runs it started stay)',
  }),
  'schedules/preview': call<string[]>()({
    method: 'POST', path: '/schedules/preview',
    args: z.strictObject({
      recurrence: z.record(z.string(), z.unknown()),
      from: z.string().min(1).optional(),
      count: qint(1, 1000).default(10),
    }),
    summary: 'the next fire times of a recurrence (ISO-8601 in its zone), without creating anything',
  }),
  'schedules/run-now': call<RunRecord>()({
    method: 'POST', path: '/schedules/:name/run', args: z.strictObject({ name: key }),
    summary: "submit a schedule's pipeline with its experiment and parameters now, outside its clock (listed in its runs)",
  }),
  'schedules/runs': call<Page<ScheduleRunRecord>>()({
    method: 'GET', path: '/schedules/:name/runs',
    args: z.strictObject({ name: key, limit: qint(1, 500).default(50), offset: qint(0, 1e9).default(0) }),
    summary: 'the runs a schedule started, newest first, with their triggers',
  }),
};
