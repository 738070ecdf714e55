// Bug 11 of issue 14: `millrace --help` showed "(DESIGN.md section 8)": a file of the repository,
// not something a user has. No help text names the design documents.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/workspace.js';

/** Command names listed under "Commands:" in a help text. */
const commandsIn = (help: string): string[] => {
  const at = help.indexOf('Commands:');
  if (at < 0) return [];
  return help
    .slice(at)
    .split('\n')
    .slice(1)
    .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
    .filter((c): c is string => !!c && c !== 'help');
};

describe('help texts', () => {
  it('of every command and subcommand name no design document', () => {
    const seen: string[] = [];
    const visit = (path: string[]) => {
      const r = cli([...path, '--help']);
      expect(r.status, path.join(' ')).toBe(0);
      seen.push(path.join(' ') || 'millrace');
      expect(r.stdout, path.join(' ')).not.toMatch(/DESIGN\.md|AZUREML\.md|STYLE\.md|section \d/);
      // `millrace python --help` is python's own help (every argument after `python` is python's).
      for (const c of commandsIn(r.stdout)) if (!(path.length === 0 && c === 'python')) visit([...path, c]);
    };
    visit([]);
    expect(seen).toContain('schedule');
    expect(seen.length).toBeGreaterThan(15);
  });
});
