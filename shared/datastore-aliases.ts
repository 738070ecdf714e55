// The SDK's datastore names (AZUREML.md section 10.2): `workspaceblobstore` and `workspacefilestore`
// name the datastore `default` unless millrace.yml defines a datastore by that name. Accepted wherever
// a datastore name is; records and written specs carry the real name.

export const DATASTORE_ALIASES = ['workspaceblobstore', 'workspacefilestore'] as const;

/** The real datastore `name` stands for, or undefined when it names none of `known`. */
export function realDatastore(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return name;
  if ((DATASTORE_ALIASES as readonly string[]).includes(name) && known.includes('default')) return 'default';
  return undefined;
}
