// Creating a schedule (CLI and API share this): everything is checked against the published pipeline and the
// workspace before anything is stored, and each problem names its field (or, from the CLI, its flag).
import { posix } from 'node:path';
import { realDatastore } from '../../shared/datastore-aliases.js';
import { UserError, type ErrorCode } from '../../shared/errors.js';
import { resolveParameters } from '../../shared/params.js';
import { badCharacters, checkText, ownValue, TEXT_LIMITS } from '../../shared/safe-text.js';
import { DATA_CHANGE_MODES, type DataChangeMode, type DataChangeSpec, type ScheduleTarget } from '../../shared/schedules.js';
import type { SubmitTargetRow } from '../store/published-store.js';
import type { NewSchedule, StoredSchedule } from '../store/schedule-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { formatInZone, validateRecurrence } from './recurrence.js';

export interface ScheduleInput {
  name: string;
  /** A published pipeline id, or a pipeline endpoint name (or id). */
  pipeline: string;
  /** With an endpoint: this version instead of its default at each firing. */
  pipelineVersion?: string;
  experiment: string;
  parameters?: Record<string, string | number | boolean>;
  recurrence?: unknown;
  dataChange?: {
    datastore: string;
    path?: string;
    glob?: string;
    mode?: string;
    dataPathParameterName?: string;
    polling?: boolean;
  };
  catchUp?: boolean;
  enabled?: boolean;
  description?: string | null;
  continueOnStepFailure?: boolean | null;
  pollingInterval?: number | null;
}

/** How a field is named in messages (the CLI passes its flags). */
export type FieldLabel = (field: string) => string;

const bad = (msg: string, code: ErrorCode = 'invalid_input') => new UserError(msg, code);

/** AZUREML.md section 10.4g: any text of 1-250 characters without control characters. */
function scheduleNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'a schedule name may not be empty';
  if (name.length > 250) return `a schedule name has at most 250 characters, got ${name.length}`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a schedule name holds no control characters';
  return badCharacters(name);
}

function resolvePipeline(ws: Workspace, pipeline: string, version: string | undefined, label: FieldLabel): { target: ScheduleTarget; row: SubmitTargetRow } {
  const attempts: (() => { target: ScheduleTarget; row: SubmitTargetRow })[] = [
    ...(version === undefined ? [() => ({ target: { publishedId: pipeline }, row: ws.store.published.submitTarget(pipeline) })] : []),
    () => {
      const row = ws.store.published.endpointSubmitTarget('name', pipeline, version);
      return { target: { endpointName: row.endpointName!, endpointId: row.endpointId!, ...(version ? { version } : {}) }, row };
    },
    () => {
      const row = ws.store.published.endpointSubmitTarget('id', pipeline, version);
      return { target: { endpointName: row.endpointName!, endpointId: row.endpointId!, ...(version ? { version } : {}) }, row };
    },
  ];
  let last: unknown;
  for (const a of attempts) {
    try {
      return a();
    } catch (e) {
      if (!(e instanceof UserError) || e.code !== 'not_found') throw e;
      // An endpoint that exists but lacks the version says so.
      if (/has no version/.test(e.message)) throw bad(`${label('pipelineVersion')}: ${e.message}`, 'not_found');
      last = e;
    }
  }
  void last;
  throw bad(`${label('pipeline')}: no published pipeline id or pipeline endpoint '${pipeline}' (see millrace publish)`, 'not_found');
}

function dataChangeSpec(ws: Workspace, input: NonNullable<ScheduleInput['dataChange']>, row: SubmitTargetRow, label: FieldLabel): DataChangeSpec {
  const datastore = realDatastore(input.datastore, Object.keys(ws.config.datastores));
  if (!datastore) {
    throw bad(`${label('datastore')}: unknown datastore '${input.datastore}' (known: ${Object.keys(ws.config.datastores).join(', ')})`, 'not_found');
  }
  const raw = (input.path ?? '').replace(/\\/g, '/');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw bad(`${label('path')}: expected a path relative to the datastore, got '${input.path}'`);
  const norm = posix.normalize(raw || '.');
  if (norm === '..' || norm.startsWith('../')) throw bad(`${label('path')}: may not leave the datastore ('${input.path}')`);
  const pathOnDatastore = norm === '.' ? '' : norm.replace(/\/+$/, '');
  const mode = (input.mode ?? 'perFile') as DataChangeMode;
  if (!DATA_CHANGE_MODES.includes(mode)) throw bad(`${label('mode')}: expected ${DATA_CHANGE_MODES.join(' or ')}, got '${input.mode}'`);
  if (input.glob !== undefined && !input.glob.trim()) throw bad(`${label('glob')}: may not be empty`);

  let param = input.dataPathParameterName;
  const specs = row.parameters;
  if (param !== undefined) {
    const spec = ownValue(specs, param);
    if (!spec) {
      const known = Object.keys(specs);
      throw bad(`${label('dataPathParameterName')}: the pipeline has no parameter '${param}'${known.length ? ` (it has: ${known.join(', ')})` : ''}`, 'unknown_parameter');
    }
    if (spec.type !== 'path' && spec.type !== 'string') throw bad(`${label('dataPathParameterName')}: parameter '${param}' is a ${spec.type}, not a path`, 'invalid_parameter');
  } else {
    // As Azure's DataPathPipelineParameter: the pipeline's only path parameter receives the file.
    const paths = Object.entries(specs).filter(([, s]) => s.type === 'path').map(([k]) => k);
    if (paths.length === 1) param = paths[0];
  }
  return { datastore, pathOnDatastore, ...(input.glob ? { glob: input.glob } : {}), mode, ...(param ? { dataPathParameterName: param } : {}), polling: !!input.polling };
}

/** Checks an input as create does and returns what would be stored (nothing is written). */
export function checkScheduleInput(ws: Workspace, input: ScheduleInput, label: FieldLabel = (f) => f, now = Date.now()): NewSchedule {
  const nameProblem = scheduleNameProblem(input.name);
  if (nameProblem) throw bad(`${label('name')}: ${nameProblem}`, 'bad_usage');
  if (!input.experiment.trim()) throw bad(`${label('experiment')}: may not be empty`, 'bad_usage');
  checkText(`${label('experiment')}:`, input.experiment, TEXT_LIMITS.name, 'bad_usage');
  if ((input.recurrence === undefined) === (input.dataChange === undefined)) {
    throw bad(`give either a recurrence (${label('frequency')} or ${label('cron')}) or a data change (${label('datastore')}), not ${input.recurrence === undefined ? 'neither' : 'both'}`, 'bad_usage');
  }
  const { target, row } = resolvePipeline(ws, input.pipeline, input.pipelineVersion, label);
  const dataChange = input.dataChange ? dataChangeSpec(ws, input.dataChange, row, label) : null;
  let recurrence = null;
  if (input.recurrence !== undefined) {
    recurrence = validateRecurrence(input.recurrence, label);
    // Without a start time the schedule starts when it is created (Minute/Hour count from it).
    if (!recurrence.startTime) recurrence = { ...recurrence, startTime: formatInZone(new Date(Math.floor(now / 1000) * 1000), recurrence.timeZone) };
  }
  const given = input.parameters ?? {};
  // The data path parameter gets its value at each firing; check the rest as a submit would.
  const probe: Record<string, unknown> = Object.assign(Object.create(null), given);
  if (dataChange?.dataPathParameterName && !Object.hasOwn(probe, dataChange.dataPathParameterName)) probe[dataChange.dataPathParameterName] = 'probe.csv';
  let parameters: Record<string, string | number | boolean>;
  try {
    const resolved = resolveParameters(row.parameters, probe);
    parameters = Object.fromEntries(Object.keys(given).map((k) => [k, resolved[k]]));
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${label('parameters')}: ${e.message}`, e.code);
    throw e;
  }
  return {
      name: input.name,
      kind: recurrence ? 'recurrence' : 'dataChange',
      target,
      experiment: input.experiment.trim(),
      parameters,
      recurrence,
      dataChange,
      enabled: input.enabled ?? true,
      catchUp: !!input.catchUp,
      description: input.description ?? null,
      continueOnStepFailure: input.continueOnStepFailure ?? null,
      pollingInterval: input.pollingInterval ?? null,
  };
}

/** Names need not be unique when the caller says so (`allowDuplicateName`, the SDK's Schedule.create). */
export function createSchedule(ws: Workspace, input: ScheduleInput & { allowDuplicateName?: boolean }, label: FieldLabel = (f) => f, now = Date.now()): StoredSchedule {
  return ws.store.schedules.create(checkScheduleInput(ws, input, label, now), now, { allowDuplicateName: input.allowDuplicateName });
}

/**
 * Replaces an existing schedule's definition, checked exactly as create; the kind (time or data change) may not
 * change. The clock restarts at the edit (no past slot fires); a data-change schedule keeps its handled files.
 */
export function updateSchedule(ws: Workspace, input: ScheduleInput & { newName?: string }, label: FieldLabel = (f) => f, now = Date.now()): StoredSchedule {
  const cur = ws.store.schedules.get(input.name);
  const kind = input.dataChange !== undefined && input.recurrence === undefined ? 'dataChange' : input.recurrence !== undefined && input.dataChange === undefined ? 'recurrence' : cur.kind;
  if (kind !== cur.kind) {
    throw bad(`${label(cur.kind === 'recurrence' ? 'recurrence' : 'dataChange')}: schedule '${cur.name}' is a ${cur.kind === 'recurrence' ? 'time' : 'data-change'} schedule; its kind cannot change (delete it and create a new one)`);
  }
  // What the caller leaves out keeps its value; `newName` renames (the id stays).
  const next = checkScheduleInput(ws, {
    ...input,
    name: input.newName ?? cur.name,
    enabled: input.enabled ?? cur.enabled,
    description: input.description === undefined ? cur.description : input.description,
    continueOnStepFailure: input.continueOnStepFailure === undefined ? cur.continueOnStepFailure : input.continueOnStepFailure,
    pollingInterval: input.pollingInterval === undefined ? cur.pollingInterval : input.pollingInterval,
  }, label, now);
  return ws.store.schedules.update(cur.id, next, now);
}
