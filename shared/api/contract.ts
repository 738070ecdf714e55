// The one contract between the transports and the core (STYLE.md habit 1): every call, by name.
// The HTTP server, the Electron IPC bridge, the CLI and the stdio bridge reach the core through this map (core/dispatch.ts); the client is typed by it.
import type { z } from 'zod';
import { modelCalls } from './calls/models.js';
import { publishCalls } from './calls/publish.js';
import { reuseCalls } from './calls/reuse.js';
import { runCalls } from './calls/runs.js';
import { scheduleCalls } from './calls/schedules.js';
import { sdkCalls } from './calls/sdk.js';
import { workspaceCalls } from './calls/workspace.js';
import type { ResultOfDef } from './define.js';

export const API = { ...workspaceCalls, ...runCalls, ...publishCalls, ...scheduleCalls, ...sdkCalls, ...modelCalls, ...reuseCalls };
export const API_PREFIX = '/api/v1';

export type Api = typeof API;
export type CallName = keyof Api;
/** What a caller passes (before defaults and coercion). */
export type ArgsIn<N extends CallName> = z.input<Api[N]['args']>;
/** What a handler receives (validated, defaults applied). */
export type Args<N extends CallName> = z.output<Api[N]['args']>;
export type Result<N extends CallName> = ResultOfDef<Api[N]>;

export type Handler<N extends CallName, Ctx> = (args: Args<N>, ctx: Ctx) => Result<N> | Promise<Result<N>>;
/** The core implements all of them; a missing one is a compile error. */
export type HandlerMap<Ctx> = { [N in CallName]: Handler<N, Ctx> };

export const callNames = (): CallName[] => Object.keys(API) as CallName[];
