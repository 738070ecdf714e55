// A workspace folder: millrace.yml, millrace.db, pipelines/, datastores/, runs/ (DESIGN.md section 2).
import { DATASTORE_ALIASES, realDatastore } from '../../shared/datastore-aliases.js';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../shared/errors.js';
import { ownValue } from '../../shared/safe-text.js';
import type { WorkspaceNames } from '../../shared/pipeline/validate.js';
import { validateWorkspaceConfig } from '../../shared/pipeline/validate.js';
import { capacityOf, computeTarget, localTarget, type ComputeTarget } from '../compute/targets.js';
import { packageRoot } from '../package-root.js';
import { Store } from '../store/store.js';
import { cachedConfigSpec } from './config-cache.js';

export const CONFIG_FILE = 'millrace.yml';
export const DB_FILE = 'millrace.db';

export interface EnvironmentConfig {
  python: string;
  env: Record<string, string>;
  workingDir?: string;
}

export interface WorkspaceConfig {
  datastores: Record<string, { path: string }>;
  compute: Record<string, ComputeTarget>;
  environments: Record<string, EnvironmentConfig>;
  server: { host: string; port: number };
  killGraceMs: number;
  /** Keep each step run's working copy (runs/<run>/<step>/wd/) after it ends, for debugging. */
  keepWorkingCopies: boolean;
}

export function loadConfig(dir: string): WorkspaceConfig {
  const file = join(dir, CONFIG_FILE);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const spec = text === undefined ? {} : cachedConfigSpec(dir, text, () => validateWorkspaceConfig(file, text));
  // No prototype: a datastore, compute target or environment named 'toString' is unknown, not inherited.
  const datastores: WorkspaceConfig['datastores'] = Object.assign(Object.create(null), { default: { path: join(dir, 'datastores', 'default') } });
  for (const [k, v] of Object.entries(spec.datastores ?? {})) datastores[k] = { path: isAbsolute(v.path) ? v.path : resolve(dir, v.path) };
  const compute: WorkspaceConfig['compute'] = Object.assign(Object.create(null), { local: localTarget() });
  for (const [k, v] of Object.entries(spec.compute ?? {})) compute[k] = computeTarget(v);
  const environments: WorkspaceConfig['environments'] = Object.assign(Object.create(null), { default: { python: 'python3', env: { PYTHONUNBUFFERED: '1' } } });
  for (const [k, v] of Object.entries(spec.environments ?? {})) {
    environments[k] = {
      python: v.python ?? 'python3',
      env: Object.fromEntries(Object.entries(v.env ?? {}).map(([a, b]) => [a, String(b)])),
      workingDir: v.working_dir,
    };
  }
  return {
    datastores,
    compute,
    environments,
    server: { host: spec.server?.host ?? '127.0.0.1', port: spec.server?.port ?? 8765 },
    killGraceMs: spec.executor?.kill_grace_ms ?? 5000,
    keepWorkingCopies: spec.executor?.keep_working_copies ?? false,
  };
}

/** What identifies a version of millrace.yml on disk (a change of either: read it again). */
const configStamp = (dir: string): string => {
  try {
    const st = statSync(join(dir, CONFIG_FILE));
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '';
  }
};

export class Workspace {
  private cfg: WorkspaceConfig;
  private stamp: string;

  private constructor(
    readonly dir: string,
    config: WorkspaceConfig,
    readonly store: Store,
  ) {
    this.cfg = config;
    this.stamp = configStamp(dir);
  }

  get config(): WorkspaceConfig {
    return this.cfg;
  }

  /**
   * Reads millrace.yml again when it changed since (a datastore or compute target added by the
   * azureml package): long-lived processes call it before planning or resuming a run.
   */
  reloadConfigIfChanged(): void {
    const stamp = configStamp(this.dir);
    if (stamp === this.stamp) return;
    const config = loadConfig(this.dir);
    for (const ds of Object.values(config.datastores)) mkdirSync(ds.path, { recursive: true });
    this.cfg = config;
    this.stamp = stamp;
  }

  /** Opens the configuration and the store (recovering runs left behind is the opener's: executor/recovery.ts). */
  static open(dir: string): Workspace {
    const abs = resolve(dir);
    if (!existsSync(join(abs, CONFIG_FILE))) {
      throw new UserError(`${abs} is not a Millrace workspace (no ${CONFIG_FILE}); create one with 'millrace init ${dir}'`, 'no_workspace');
    }
    const config = loadConfig(abs);
    mkdirSync(join(abs, 'runs'), { recursive: true });
    for (const ds of Object.values(config.datastores)) mkdirSync(ds.path, { recursive: true });
    return new Workspace(abs, config, Store.open(join(abs, DB_FILE)));
  }

  names(): WorkspaceNames {
    return {
      datastores: [...Object.keys(this.config.datastores), ...DATASTORE_ALIASES.filter((a) => !Object.hasOwn(this.config.datastores, a))],
      computes: Object.keys(this.config.compute),
      capacity: Object.fromEntries(Object.entries(this.config.compute).flatMap(([k, t]) => (capacityOf(t) ? [[k, capacityOf(t)!]] : []))),
      environments: Object.keys(this.config.environments),
      datasets: this.store.datasets.names(),
    };
  }

  datastorePath(name: string): string {
    const ds = ownValue(this.config.datastores, realDatastore(name, Object.keys(this.config.datastores)) ?? name);
    if (!ds) throw new UserError(`unknown datastore '${name}' (known: ${Object.keys(this.config.datastores).join(', ')})`, 'not_found');
    return ds.path;
  }

  runDir(runId: string): string {
    return join(this.dir, 'runs', runId);
  }

  close(): void {
    this.store.close();
  }
}

/** `--workspace`, else MILLRACE_WORKSPACE, else the current folder when it is one, else ~/Millrace. */
export function resolveWorkspaceDir(flag?: string, env = process.env, cwd = process.cwd()): { dir: string; isDefault: boolean } {
  if (flag) return { dir: resolve(flag), isDefault: false };
  if (env.MILLRACE_WORKSPACE) return { dir: resolve(env.MILLRACE_WORKSPACE), isDefault: false };
  if (existsSync(join(cwd, CONFIG_FILE))) return { dir: cwd, isDefault: false };
  return { dir: join(env.HOME || homedir(), 'Millrace'), isDefault: true };
}

/** Creates a workspace with the sample pipeline; an existing workspace is left as it is. */
export function initWorkspace(dir: string): { dir: string; created: boolean } {
  const abs = resolve(dir);
  if (existsSync(join(abs, CONFIG_FILE))) return { dir: abs, created: false };
  mkdirSync(abs, { recursive: true });
  cpSync(join(packageRoot(), 'main', 'workspace', 'template'), abs, { recursive: true, errorOnExist: false, force: false });
  for (const sub of ['runs', 'datastores/default', 'pipelines']) mkdirSync(join(abs, sub), { recursive: true });
  Workspace.open(abs).close(); // creates and migrates millrace.db
  return { dir: abs, created: true };
}
