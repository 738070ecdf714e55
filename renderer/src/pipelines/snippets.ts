// Ready-to-copy calls of a published pipeline or endpoint, as the Azure ML docs show them.
import type { ParameterSpec } from '../../../shared/pipeline/schema.js';

const example = (params: Record<string, ParameterSpec>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.default ?? (p.type === 'boolean' ? false : p.type === 'number' || p.type === 'integer' ? 0 : '')]));

export function curlSnippet(url: string, experiment: string, params: Record<string, ParameterSpec>): string {
  const body = JSON.stringify({ ExperimentName: experiment, ParameterAssignments: example(params) });
  return [`curl -X POST '${url}' \\`, `  -H "Authorization: Bearer $MILLRACE_TOKEN" \\`, `  -H 'Content-Type: application/json' \\`, `  -d '${body.replace(/'/g, `'\\''`)}'`].join('\n');
}

export function pythonSnippet(url: string, experiment: string, params: Record<string, ParameterSpec>): string {
  const assignments = JSON.stringify(example(params)).replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False').replace(/\bnull\b/g, 'None');
  return [
    'import os, requests',
    '',
    `rest_endpoint = "${url}"`,
    'auth_header = {"Authorization": "Bearer " + os.environ["MILLRACE_TOKEN"]}',
    'response = requests.post(rest_endpoint, headers=auth_header,',
    `                         json={"ExperimentName": "${experiment}", "ParameterAssignments": ${assignments}})`,
    'response.raise_for_status()',
    'run_id = response.json()["Id"]',
    'print(run_id)',
  ].join('\n');
}
