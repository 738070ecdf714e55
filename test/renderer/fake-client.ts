// A stand-in for the typed client: answers each call name with a function, records what was asked.
import type { ApiClient } from '../../shared/api/client.js';

export type Answers = Record<string, (args: Record<string, unknown>) => unknown>;

export function fakeClient(answers: Answers): ApiClient & { calls: { name: string; args: Record<string, unknown> }[] } {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    call: (async (name: string, args: Record<string, unknown>) => {
      calls.push({ name, args });
      const f = answers[name];
      if (!f) throw new Error(`unexpected call ${name}`);
      return f(args);
    }) as ApiClient['call'],
  };
}
