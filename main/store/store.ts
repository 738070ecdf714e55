// The workspace's store: one SQLite file, one connection per process, every write through these classes.
import { ClaimStore } from './claim-store.js';
import { openDatabase, type DB } from './database.js';
import { DatasetStore } from './dataset-store.js';
import { FileHashStore } from './file-hash-store.js';
import { MetricStore } from './metric-store.js';
import { PipelineCacheStore } from './pipeline-cache-store.js';
import { ModelStore } from './model-store.js';
import { PublishedStore } from './published-store.js';
import { RunQueries } from './run-queries.js';
import { ReuseStore } from './reuse-store.js';
import { RunStore } from './run-store.js';
import { ScheduleStore } from './schedule-store.js';
import { SdkEnvironmentStore } from './sdk-environment-store.js';
import { SdkRunStore } from './sdk-run-store.js';
import { TokenStore } from './token-store.js';

export class Store {
  readonly metrics: MetricStore;
  readonly runs: RunStore;
  readonly datasets: DatasetStore;
  readonly fileHashes: FileHashStore;
  readonly runQueries: RunQueries;
  readonly published: PublishedStore;
  readonly tokens: TokenStore;
  readonly schedules: ScheduleStore;
  readonly claims: ClaimStore;
  readonly pipelineCache: PipelineCacheStore;
  readonly sdkRuns: SdkRunStore;
  readonly sdkEnvironments: SdkEnvironmentStore;
  readonly models: ModelStore;
  readonly reuse: ReuseStore;

  private constructor(private readonly db: DB) {
    this.metrics = new MetricStore(db);
    this.runs = new RunStore(db, this.metrics);
    this.datasets = new DatasetStore(db);
    this.fileHashes = new FileHashStore(db);
    this.runQueries = new RunQueries(db);
    this.published = new PublishedStore(db);
    this.tokens = new TokenStore(db);
    this.schedules = new ScheduleStore(db);
    this.claims = new ClaimStore(db);
    this.pipelineCache = new PipelineCacheStore(db);
    this.sdkRuns = new SdkRunStore(db);
    this.sdkEnvironments = new SdkEnvironmentStore(db);
    this.models = new ModelStore(db);
    this.reuse = new ReuseStore(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /**
   * `fn` in one IMMEDIATE transaction (reads before writes, no SQLITE_BUSY on upgrade); nested
   * calls join the outer one. Only synchronous work inside (better-sqlite3's rule).
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Copy the WAL into the database file now, without waiting for readers (a long-lived process does it on a timer). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Automatic checkpoints every `pages` WAL pages (0: never; another thread of this process does them). */
  autoCheckpoint(pages: number): void {
    this.db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(pages))}`);
  }

  /** Tests and benches only: the raw connection, to look at what the store wrote. */
  rawConnection(): DB {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
