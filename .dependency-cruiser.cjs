// The layering of DESIGN.md section 9 and docs/architecture.md, checked on every `npm test`.
const TRANSPORTS = '^main/(server|cli|electron|bridge)/';
const DOMAIN = '^main/(store|executor|reuse|schedules|triggers|pipelines|publish|workspace|logs|metrics|compute|runtime|runs|datastores|datasets|sdk|snapshots|models|artifacts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles anywhere', from: {}, to: { circular: true } },
    {
      name: 'shared-imports-nothing', severity: 'error',
      comment: 'shared/ is pure: types, the contract, schemas, pure helpers (no main, renderer, Node or DOM)',
      from: { path: '^shared/' }, to: { path: '^(main|renderer|test|bench|scripts)/' },
    },
    { name: 'shared-no-node', severity: 'error', comment: 'shared/ runs in the renderer too', from: { path: '^shared/' }, to: { dependencyTypes: ['core'] } },
    { name: 'renderer-only-shared', severity: 'error', comment: 'the renderer reaches main only through the API contract', from: { path: '^renderer/' }, to: { path: '^(main|test|bench|scripts)/' } },
    { name: 'renderer-no-node', severity: 'error', comment: 'the renderer runs in a browser', from: { path: '^renderer/src/' }, to: { dependencyTypes: ['core'] } },
    { name: 'main-not-renderer', severity: 'error', comment: 'main never imports the renderer', from: { path: '^main/' }, to: { path: '^renderer/' } },
    {
      name: 'electron-only-in-main-electron', severity: 'error', comment: "Electron's API only in the thin shell",
      from: { pathNot: '^main/electron/' }, to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'core-not-transports', severity: 'error',
      comment: 'the core (handlers, dispatch) knows no transport; only its host starts the HTTP one',
      from: { path: '^main/core/', pathNot: '^main/core/host\\.ts$' }, to: { path: TRANSPORTS },
    },
    {
      name: 'host-starts-http-only', severity: 'error', comment: 'the host starts the HTTP server, nothing else of a transport',
      from: { path: '^main/core/host\\.ts$' }, to: { path: TRANSPORTS, pathNot: '^main/server/server\\.ts$' },
    },
    {
      name: 'domain-not-core-or-transports', severity: 'error', comment: 'domain modules are called by the core, never the other way round',
      from: { path: DOMAIN }, to: { path: `(${TRANSPORTS})|^main/core/` },
    },
    {
      name: 'workspace-is-the-base', severity: 'error', comment: 'the workspace (config, store, folders) depends on no engine part',
      from: { path: '^main/workspace/' }, to: { path: '^main/(executor|schedules|triggers|publish|pipelines|reuse|datasets|logs|metrics|core|sdk|snapshots|models|artifacts)/' },
    },
    {
      name: 'store-is-sql-only', severity: 'error', comment: 'the store holds the SQL and hands out domain objects; it calls nothing above it',
      from: { path: '^main/store/' }, to: { path: '^main/(?!store/|package-root)' },
    },
    {
      name: 'transports-not-each-other', severity: 'error', comment: 'a transport reaches the others only through the core',
      from: { path: '^main/(cli|electron|bridge)/' }, to: { path: '^main/server/' , pathNot: '^main/server/(guard|server|ui)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    extraExtensionsToScan: ['.svelte'],
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cts', '.svelte', '.json'] },
  },
};
