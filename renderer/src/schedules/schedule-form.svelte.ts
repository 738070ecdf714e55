// The create-schedule form: recurrence (Azure's ScheduleRecurrence), cron, or data change; its
// args for schedules/create, and the preview of the next fire times with DST changes marked.
import type { ArgsIn } from '../../../shared/api/contract.js';
import type { PipelineEndpointRecord, PublishedPipelineRecord } from '../../../shared/api/records.js';
import type { ParamValue } from '../../../shared/params.js';
import type { ParameterSpec } from '../../../shared/pipeline/schema.js';
import { DATA_CHANGE_MODES, FREQUENCIES, WEEK_DAYS, type DataChangeMode, type Frequency, type ScheduleRecord, type WeekDay } from '../../../shared/schedules.js';

export type ScheduleMode = 'recurrence' | 'cron' | 'dataChange';
export { DATA_CHANGE_MODES, FREQUENCIES, WEEK_DAYS };

export interface FireTime {
  iso: string;
  /** UTC offset as written in the ISO time, e.g. +01:00. */
  offset: string;
  /** The offset differs from the previous fire time's: a DST change lies between them. */
  dstChange: boolean;
}

const offsetOf = (iso: string): string => /([+-]\d\d:\d\d|Z)$/.exec(iso)?.[1] ?? '';

/** Marks each fire time whose UTC offset differs from the one before it. */
export function markDst(times: string[]): FireTime[] {
  return times.map((iso, i) => {
    const offset = offsetOf(iso);
    return { iso, offset, dstChange: i > 0 && offset !== offsetOf(times[i - 1]) };
  });
}

/** "1, 2, 30" -> [1, 2, 30]; undefined when empty; NaN entries are left for the core to refuse with a message. */
export function intList(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.length ? parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN)) : undefined;
}

const localZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

export class ScheduleForm {
  name = $state('');
  /** A pipeline endpoint name or a published pipeline id. */
  pipeline = $state('');
  experiment = $state('');
  mode = $state<ScheduleMode>('recurrence');
  frequency = $state<Frequency>('Day');
  interval = $state(1);
  startTime = $state('');
  timeZone = $state(localZone());
  hours = $state('6');
  minutes = $state('30');
  weekDays = $state<WeekDay[]>([]);
  cron = $state('30 6 * * 1-5');
  datastore = $state('default');
  path = $state('');
  glob = $state('');
  dataMode = $state<DataChangeMode>('perFile');
  dataPathParameterName = $state('');
  polling = $state(false);
  catchUp = $state(false);
  /** Kept as they are when editing (the form has no fields for them). */
  parameters: Record<string, string | number | boolean> = {};
  pipelineVersion: string | undefined = undefined;

  /** A form pre-filled from a stored schedule, for editing it. */
  static fromRecord(s: ScheduleRecord): ScheduleForm {
    const f = new ScheduleForm();
    f.name = s.name;
    f.experiment = s.experiment;
    f.catchUp = s.catchUp;
    f.parameters = { ...s.parameters };
    if ('endpointName' in s.target) {
      f.pipeline = s.target.endpointName;
      f.pipelineVersion = s.target.version;
    } else f.pipeline = s.target.publishedId;
    const r = s.recurrence;
    if (s.dataChange) {
      f.mode = 'dataChange';
      f.datastore = s.dataChange.datastore;
      f.path = s.dataChange.pathOnDatastore;
      f.glob = s.dataChange.glob ?? '';
      f.dataMode = s.dataChange.mode;
      f.dataPathParameterName = s.dataChange.dataPathParameterName ?? '';
      f.polling = s.dataChange.polling;
    } else if (r) {
      f.timeZone = r.timeZone;
      f.startTime = r.startTime ?? '';
      if ('cron' in r) {
        f.mode = 'cron';
        f.cron = r.cron;
      } else {
        f.mode = 'recurrence';
        f.frequency = r.frequency;
        f.interval = r.interval;
        f.hours = (r.hours ?? []).join(', ');
        f.minutes = (r.minutes ?? []).join(', ');
        f.weekDays = [...(r.weekDays ?? [])];
      }
    }
    return f;
  }

  /** The recurrence as the API takes it (null for data-change schedules). */
  get recurrence(): Record<string, unknown> | null {
    if (this.mode === 'dataChange') return null;
    const start = this.startTime.trim() || undefined;
    if (this.mode === 'cron') return { cron: this.cron.trim(), timeZone: this.timeZone.trim(), ...(start ? { startTime: start } : {}) };
    const daily = this.frequency === 'Day' || this.frequency === 'Week';
    return {
      frequency: this.frequency,
      interval: Number(this.interval),
      timeZone: this.timeZone.trim(),
      ...(start ? { startTime: start } : {}),
      ...(daily && intList(this.hours) ? { hours: intList(this.hours) } : {}),
      ...(daily && intList(this.minutes) ? { minutes: intList(this.minutes) } : {}),
      ...(this.frequency === 'Week' && this.weekDays.length ? { weekDays: this.weekDays } : {}),
    };
  }

  toggleDay(d: WeekDay): void {
    this.weekDays = this.weekDays.includes(d) ? this.weekDays.filter((x) => x !== d) : WEEK_DAYS.filter((x) => x === d || this.weekDays.includes(x));
  }

  /** What is missing before the form can be sent (the core checks the rest, with field names). */
  get missing(): string | null {
    if (!this.name.trim()) return 'give the schedule a name';
    if (!this.pipeline) return 'pick a published pipeline or endpoint';
    if (!this.experiment.trim()) return 'give an experiment name for its runs';
    return null;
  }

  toArgs(): ArgsIn<'schedules/create'> {
    const base = {
      name: this.name.trim(), pipeline: this.pipeline, experiment: this.experiment.trim(), catchUp: this.catchUp,
      ...(Object.keys(this.parameters).length ? { parameters: this.parameters } : {}),
      ...(this.pipelineVersion ? { pipelineVersion: this.pipelineVersion } : {}),
    };
    if (this.mode === 'dataChange') {
      return {
        ...base,
        dataChange: {
          datastore: this.datastore,
          path: this.path.trim(),
          glob: this.glob.trim() || undefined,
          mode: this.dataMode,
          dataPathParameterName: this.dataPathParameterName.trim() || undefined,
          polling: this.polling,
        },
      };
    }
    return { ...base, recurrence: this.recurrence! };
  }
}

/** The published pipeline a schedule's target runs: the pipeline itself, or an endpoint's version (default: its default). */
export function targetPipeline(
  key: string,
  version: string | undefined,
  endpoints: PipelineEndpointRecord[],
  published: PublishedPipelineRecord[],
): PublishedPipelineRecord | undefined {
  const ep = endpoints.find((e) => e.name === key);
  const id = ep ? (ep.versions.find((v) => v.version === (version ?? ep.defaultVersion))?.publishedPipelineId ?? ep.defaultPipelineId) : key;
  return published.find((p) => p.id === id);
}

/**
 * The parameter values a schedule keeps: those that differ from the pipeline's defaults, so a value
 * left at its default follows the default of whatever version fires.
 */
export function changedParameters(specs: Record<string, ParameterSpec>, values: Record<string, ParamValue>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(values)) if (!Object.hasOwn(specs, k) || specs[k].default !== v) out[k] = v;
  return out;
}
