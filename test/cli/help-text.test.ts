// Bug 11 of issue 14: `millrace --help` showed "(DESIGN.md section 8)": a file of the repository,
// not something a user has. No help text names the design documents.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot, tempWorkspace } from '../helpers/workspace.js';

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

describe('--version', () => {
  it("prints package.json's version; the bundled CLI is built", () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    // `npm run build` bundles the CLI (scripts/bundle-cli.mjs): the file bin/millrace.js prefers.
    expect(existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))).toBe(true);
  });
});

describe('publish --version', () => {
  it("is publish's own option, not Millrace's version", () => {
    const ws = tempWorkspace();
    try {
      const r = cli(['publish', join(ws.dir, 'pipelines', 'sample.yml'), '--name', 'tp', '--version', '1.0', '--endpoint', 'training', '--json', '-w', ws.dir]);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'tp', version: '1.0' });
    } finally {
      ws.cleanup();
    }
  });
});

describe('bin/millrace.js', () => {
  it('runs the bundle only when it is not older than the compiled CLI (a bare tsc since)', () => {
    // A copy of bin/ beside two stand-in entry points: the real dist/ is shared by parallel tests.
    const root = mkdtempSync(join(tmpdir(), 'millrace-bin-'));
    try {
      mkdirSync(join(root, 'bin'));
      mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
      mkdirSync(join(root, 'dist', 'main', 'cli'), { recursive: true });
      copyFileSync(join(repoRoot, 'bin', 'millrace.js'), join(root, 'bin', 'millrace.js'));
      writeFileSync(join(root, 'package.json'), '{"type": "module", "version": "0.0.0"}');
      const bundle = join(root, 'dist', 'cli', 'main.js');
      const compiled = join(root, 'dist', 'main', 'cli', 'main.js');
      writeFileSync(bundle, "process.stdout.write('bundle');\n");
      writeFileSync(compiled, "process.stdout.write('compiled');\n");
      const run = () => spawnSync(process.execPath, [join(root, 'bin', 'millrace.js'), 'runs', 'list'], { encoding: 'utf8' }).stdout;
      utimesSync(compiled, new Date(1000), new Date(1000));
      expect(run()).toBe('bundle');
      utimesSync(bundle, new Date(0), new Date(0));
      expect(run()).toBe('compiled');
      rmSync(bundle);
      expect(run()).toBe('compiled');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a reader that stops early', () => {
  it('ends the CLI quietly (no EPIPE stack trace)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(repoRoot, 'bin', 'millrace.js')}" --help | head -c 20`], { encoding: 'utf8' });
    expect(r.stdout).toHaveLength(20);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
