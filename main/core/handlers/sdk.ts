// The azureml package's calls (docs/bridge.md): compiled SDK pipelines, runs as the SDK reads them,
// run properties, registered environments, the SDK's token.
import type { HandlerMap } from '../../../shared/api/contract.js';
import { UserError } from '../../../shared/errors.js';
import { publishedRecord } from '../../publish/records.js';
import { registerEnvironment, getEnvironment, listEnvironments } from '../../sdk/environments.js';
import { sdkPublish, sdkPublishRun, publishedYaml } from '../../sdk/sdk-publish.js';
import { sdkSubmit, sdkValidate } from '../../sdk/sdk-submit.js';
import { sdkToken } from '../../sdk/sdk-token.js';
import { sdkRunRecord } from '../../sdk/run-record.js';
import { isLocal, triggerFor, type Caller, type CallContext } from '../context.js';

/** Calls that read folders anywhere on this machine, or hand out its cached secret: local callers only. */
function localOnly(caller: Caller, call: string): void {
  if (!isLocal(caller)) throw new UserError(`${call} is for the azureml package on this machine (millrace bridge --stdio) and the CLI only`, 'forbidden');
}

export const sdkHandlers = {
  'sdk/submit': async (a, { ws, caller }) => {
    localOnly(caller, 'sdk/submit');
    return sdkSubmit(ws, a, triggerFor(caller));
  },

  'sdk/validate': (a, { ws, caller }) => {
    localOnly(caller, 'sdk/validate');
    return sdkValidate(ws, a.spec);
  },

  'sdk/publish': async ({ spec, name, ...o }, { ws, caller, baseUrl }) => {
    localOnly(caller, 'sdk/publish');
    return publishedRecord(await sdkPublish(ws, spec, name, o), baseUrl);
  },

  'sdk/publish-run': ({ id, ...o }, { ws, baseUrl }) => publishedRecord(sdkPublishRun(ws, id, o), baseUrl),

  'sdk/published-yaml': (a, { ws }) => publishedYaml(ws, a.id),

  'sdk/run': (a, { ws }) => sdkRunRecord(ws, a.id),

  'sdk/run-metrics': (a, { ws }) => {
    const id = ws.store.runs.resolveId(a.id, { steps: true });
    const ids = ws.store.runs.state(id)?.kind === 'pipeline' ? [id, ...ws.store.runs.stepStates(id).map((s) => s.id)] : [id];
    return Object.fromEntries(ids.map((x) => [x, ws.store.metrics.summary(x)]));
  },

  'sdk/run-properties': (a, { ws }) => {
    const id = ws.store.runs.resolveId(a.id, { steps: true });
    return ws.store.sdkRuns.addProperties(id, a.add ?? {});
  },

  'sdk/environment-register': (a, { ws }) => registerEnvironment(ws, a.name, a.definition),

  'sdk/environment-get': (a, { ws }) => getEnvironment(ws, a.name, a.version),

  'sdk/environment-list': (_a, { ws }) => listEnvironments(ws),

  'tokens/sdk': (_a, { ws, caller }) => {
    localOnly(caller, 'tokens/sdk');
    return sdkToken(ws);
  },
} satisfies Partial<HandlerMap<CallContext>>;
