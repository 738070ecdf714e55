// Every call of shared/api/contract.ts, implemented once; a missing one does not compile.
import type { HandlerMap } from '../../../shared/api/contract.js';
import type { CallContext } from '../context.js';
import { modelHandlers } from './models.js';
import { publishedHandlers } from './published.js';
import { reuseHandlers } from './reuse.js';
import { runFileHandlers } from './run-files.js';
import { runHandlers } from './runs.js';
import { scheduleHandlers } from './schedules.js';
import { sdkHandlers } from './sdk.js';
import { workspaceHandlers } from './workspace.js';

export const handlers: HandlerMap<CallContext> = {
  ...workspaceHandlers,
  ...runHandlers,
  ...runFileHandlers,
  ...publishedHandlers,
  ...scheduleHandlers,
  ...sdkHandlers,
  ...modelHandlers,
  ...reuseHandlers,
};
