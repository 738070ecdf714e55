// Which pipeline the Pipelines page opens (issue 14, bug 6: "Submit a run" opened the alphabetically
// first file, even an invalid one): the one asked for, else the last one submitted while it is still
// there and valid, else none — the page then asks which.
import type { PipelineFileRecord } from '../../../shared/api/records.js';

export const LAST_PIPELINE_KEY = 'millrace.lastPipeline';

export function choosePipeline(files: Pick<PipelineFileRecord, 'file' | 'valid'>[], requested: string | undefined, lastUsed: string | null): string | null {
  if (requested) return requested;
  const last = lastUsed ? files.find((f) => f.file === lastUsed) : undefined;
  return last?.valid ? last.file : null;
}

/** The last pipeline submitted in this browser (localStorage; nothing when it is unavailable). */
export const lastPipeline = {
  get(): string | null {
    try {
      return globalThis.localStorage?.getItem(LAST_PIPELINE_KEY) ?? null;
    } catch {
      return null;
    }
  },
  set(file: string): void {
    try {
      globalThis.localStorage?.setItem(LAST_PIPELINE_KEY, file);
    } catch {
      // private mode: the page just asks again next time
    }
  },
};
