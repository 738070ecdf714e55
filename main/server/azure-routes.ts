// Azure ML's PipelineSubmit routes, explicit (their shape is Azure's, not the contract's).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AZURE_ROUTES, azureSubmitBodySchema, endpointQuerySchema } from '../../shared/api/azure.js';
import { UserError } from '../../shared/errors.js';
import { submitPublished, type SubmitTarget } from '../publish/submit-published.js';
import { triggerFor } from '../core/context.js';
import { describeIssues } from '../core/dispatch.js';
import type { ContextOf } from './http-api.js';
import { bodyObject } from './http-api.js';

function parseBody(req: FastifyRequest) {
  const parsed = azureSubmitBodySchema.safeParse(bodyObject(req.body));
  if (!parsed.success) throw new UserError('invalid PipelineSubmit body', 'invalid_input', describeIssues(parsed.error.issues));
  const b = parsed.data;
  if (b.DataSetDefinitionValueAssignments && Object.keys(b.DataSetDefinitionValueAssignments).length) {
    throw new UserError('DataSetDefinitionValueAssignments is not supported; set path parameters with DataPathAssignments', 'invalid_input');
  }
  return b;
}

function pipelineVersion(req: FastifyRequest): string | undefined {
  const parsed = endpointQuerySchema.safeParse(req.query ?? {});
  if (!parsed.success) throw new UserError('invalid query string', 'invalid_input', describeIssues(parsed.error.issues));
  return parsed.data.pipelineVersion;
}

export function registerAzureRoutes(app: FastifyInstance, contextOf: ContextOf): void {
  const submit = (target: (req: FastifyRequest) => SubmitTarget) => async (req: FastifyRequest) => {
    const body = parseBody(req);
    const ctx = contextOf(req);
    return submitPublished(
      ctx.ws,
      ctx.runs,
      target(req),
      {
        experiment: body.ExperimentName,
        parameters: body.ParameterAssignments,
        dataPaths: body.DataPathAssignments,
        description: body.Description,
        tags: body.Tags,
        regenerateOutputs: body.EnforceRerun,
      },
      triggerFor(ctx.caller),
      ctx.baseUrl,
    );
  };
  const p = (req: FastifyRequest) => req.params as Record<string, string>;
  app.post(AZURE_ROUTES.publishedSubmit, submit((req) => ({ publishedId: p(req).id })));
  app.post(AZURE_ROUTES.endpointSubmitById, submit((req) => ({ endpointId: p(req).id, version: pipelineVersion(req) })));
  app.post(AZURE_ROUTES.endpointSubmitByName, submit((req) => ({ endpointName: p(req).name, version: pipelineVersion(req) })));
}
