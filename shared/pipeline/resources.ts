// What a step asks of its compute target (cpus, memory, GPUs) and what a local target has: the
// units of millrace.yml and pipeline YAML (docs/compute.md), and the submit-time check that a step
// does not ask for more than its target could ever give.

/** A step's request; memory in MiB. */
export interface ResourceRequest {
  cpus: number;
  memoryMb: number;
  gpus: number;
}

/** What a local target offers; an absent field is not limited. */
export interface Capacity {
  cpus?: number;
  memoryMb?: number;
  gpus?: number;
}

/** `16G`, `512M`, `1.5T`, `2048` (a plain number is MiB, as Slurm's --mem). */
export const MEMORY_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i;
const FACTOR: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024, '': 1 };

/** MiB, rounded up; undefined when the text is not a memory size. */
export function parseMemoryMb(text: string | number): number | undefined {
  const m = MEMORY_PATTERN.exec(String(text));
  if (!m) return undefined;
  return Math.ceil(Number(m[1]) * FACTOR[m[2].toUpperCase()]);
}

export function formatMemory(mb: number): string {
  return mb % 1024 === 0 ? `${mb / 1024}G` : `${mb}M`;
}

export interface ResourcesSpec {
  cpus?: number;
  memory?: string | number;
  gpus?: number;
}

/** The request of a step's `resources` (default: 1 cpu, no memory, no GPU). */
export function resourceRequest(spec: ResourcesSpec | undefined): ResourceRequest {
  return {
    cpus: spec?.cpus ?? 1,
    memoryMb: spec?.memory === undefined ? 0 : (parseMemoryMb(spec.memory) ?? 0),
    gpus: spec?.gpus ?? 0,
  };
}

/** Why `req` can never fit `cap` (one message per resource), or nothing. */
export function exceeds(req: ResourceRequest, cap: Capacity, target: string): { key: keyof ResourcesSpec; message: string }[] {
  const out: { key: keyof ResourcesSpec; message: string }[] = [];
  if (cap.cpus !== undefined && req.cpus > cap.cpus) {
    out.push({ key: 'cpus', message: `asks for ${req.cpus} cpus; compute target '${target}' has ${cap.cpus}` });
  }
  if (cap.memoryMb !== undefined && req.memoryMb > cap.memoryMb) {
    out.push({ key: 'memory', message: `asks for ${formatMemory(req.memoryMb)} of memory; compute target '${target}' has ${formatMemory(cap.memoryMb)}` });
  }
  if (cap.gpus !== undefined && req.gpus > cap.gpus) {
    out.push({ key: 'gpus', message: `asks for ${req.gpus} GPUs; compute target '${target}' has ${cap.gpus}` });
  }
  return out;
}
