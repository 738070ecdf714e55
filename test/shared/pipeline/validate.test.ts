// Pipeline validation (shared/pipeline/validate.ts): every problem is a UserError naming file:line:col.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors.js';
import { validatePipeline, validateWorkspaceConfig, type WorkspaceNames } from '../../../shared/pipeline/validate.js';

const FILE = '/ws/pipelines/p.yml';
const NAMES: WorkspaceNames = { datastores: ['default'], computes: ['local'], environments: ['default'], datasets: ['raw_data'] };

/** Lines of YAML joined with newlines: line N of the file is element N-1. */
const yaml = (...lines: string[]) => lines.join('\n') + '\n';

function problemsOf(text: string, names?: WorkspaceNames): { error: UserError; lines: string[] } {
  try {
    validatePipeline(FILE, text, names);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const error = e as UserError;
    return { error, lines: error.details };
  }
  throw new Error('expected the pipeline to be rejected');
}

/** The one problem line matching `re`, as {line, col, message}. */
function problem(text: string, re: RegExp, names?: WorkspaceNames) {
  const { error, lines } = problemsOf(text, names);
  const hits = lines.filter((l) => re.test(l));
  expect(hits, `no problem matching ${re} in:\n${error.message}`).toHaveLength(1);
  // The full message (what the CLI prints) carries each file:line:col too.
  expect(error.message).toContain(hits[0]);
  const m = /^(.*):(\d+):(\d+): (.*)$/.exec(hits[0]);
  expect(m, hits[0]).not.toBeNull();
  expect(m![1]).toBe(FILE);
  return { line: Number(m![2]), col: Number(m![3]), message: m![4] };
}

describe('validatePipeline', () => {
  it('reads an input format with YAML spellings (include_path, path_glob) or the JSON ones, and refuses both at once at the key', () => {
    const step = (fmt: string) =>
      yaml('steps:', '  s:', '    type: command', '    command: [x]', '    inputs:', `      d: { datastore: default, path: a.csv, kind: tabular, format: ${fmt} }`);
    const yamlForm = validatePipeline(FILE, step('{ type: delimited, separator: ";", include_path: true }'), NAMES);
    expect(yamlForm.spec.steps.s.inputs!.d).toMatchObject({ format: { type: 'delimited', separator: ';', includePath: true } });
    const jsonForm = validatePipeline(FILE, step('{ type: parquet, includePath: true, pathGlob: "p/*" }'), NAMES);
    expect(jsonForm.spec.steps.s.inputs!.d).toMatchObject({ format: { type: 'parquet', includePath: true, pathGlob: 'p/*' } });
    expect(problem(step('{ type: parquet, includePath: true, include_path: false }'), /include_path/, NAMES).line).toBe(6);
  });

  it('returns a topological order for a valid pipeline', () => {
    const text = yaml(
      'name: diamond',
      'parameters:',
      '  n: { type: integer, default: 2, min: 1 }',
      'steps:',
      '  join:',
      '    type: command',
      '    command: [sh, -c, "cat $0 $1", "${{inputs.l}}", "${{inputs.r}}"]',
      '    inputs:',
      '      l: ${{steps.left.outputs.out}}',
      '      r: ${{steps.right.outputs.out}}',
      '  left:',
      '    type: command',
      '    command: [sh, -c, "echo ${{parameters.n}} > $0/x", "${{outputs.out}}"]',
      '    outputs: { out: {} }',
      '    run_after: [root]',
      '  right:',
      '    type: command',
      '    command: [sh, -c, "echo r > $0/x", "${{outputs.out}}"]',
      '    inputs:',
      '      src: ${{steps.root.outputs.o}}',
      '    outputs: { out: { datastore: default } }',
      '  root:',
      '    type: python',
      '    script: root.py',
      '    outputs: { o: null }',
    );
    const v = validatePipeline(FILE, text, NAMES);
    expect(v.name).toBe('diamond');
    expect(v.order).toHaveLength(4);
    expect(new Set(v.order)).toEqual(new Set(['join', 'left', 'right', 'root']));
    const at = (s: string) => v.order.indexOf(s);
    expect(at('root')).toBeLessThan(at('left'));
    expect(at('root')).toBeLessThan(at('right'));
    expect(at('left')).toBeLessThan(at('join'));
    expect(at('right')).toBeLessThan(at('join'));
    expect([...v.graph.deps.get('join')!].sort()).toEqual(['left', 'right']);
    expect([...v.graph.deps.get('left')!]).toEqual(['root']);
  });

  it('names a pipeline without a name after its file', () => {
    const v = validatePipeline('/x/train-it.yaml', yaml('steps:', '  a: { type: command, command: [true] }'));
    expect(v.name).toBe('train-it');
    expect(v.order).toEqual(['a']);
  });

  it('reports a YAML syntax error with file:line:col', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [sh, -c', '  b: x');
    const { error, lines } = problemsOf(text);
    expect(error.code).toBe('invalid_definition');
    expect(error.message).toMatch(/invalid pipeline YAML/);
    expect(lines).toHaveLength(1);
    // The unclosed flow sequence of line 4 is noticed where the next key starts: line 5.
    expect(lines[0]).toMatch(new RegExp(`^${FILE}:5:3: `));
  });

  it('reports a duplicate key at its line', () => {
    const text = yaml('name: x', 'steps:', '  a: { type: command, command: [true] }', 'name: y');
    const { lines } = problemsOf(text);
    expect(lines.some((l) => l.startsWith(`${FILE}:4:1:`))).toBe(true);
  });

  it('reports an unknown key at the key', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [true]', '    colour: red');
    expect(problem(text, /colour/)).toEqual({ line: 5, col: 5, message: "unknown key 'colour'" });
  });

  it('reports an unknown top-level key', () => {
    const text = yaml('name: x', 'stepz: {}', 'steps:', '  a: { type: command, command: [true] }');
    expect(problem(text, /stepz/)).toMatchObject({ line: 2, col: 1 });
  });

  it('rejects a python step without script, at the step', () => {
    const text = yaml('steps:', '  ok:', '    type: command', '    command: [true]', '  train:', '    type: python', '    arguments: [x]');
    const p = problem(text, /needs 'script'/);
    expect(p).toMatchObject({ line: 6, col: 5 });
    expect(p.message).toContain("step 'train'");
  });

  it('rejects a command step without command', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    display_name: A');
    expect(problem(text, /needs 'command'/)).toMatchObject({ line: 3, col: 5 });
  });

  it('rejects an unknown step type at the value, and reports the other steps\' problems with it', () => {
    const text = yaml('steps:', '  a:', '    type: command', '  b:', '    type: shell', '    command: [true]');
    const { lines } = problemsOf(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${FILE}:3:5: step 'a': a command step needs 'command'`));
    expect(lines[1]).toMatch(new RegExp(`^${FILE}:5:11: steps\\.b\\.type: `));
  });

  it('rejects a step id that does not match the pattern', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [true]', '  9lives:', '    type: command', '    command: [true]');
    expect(problem(text, /9lives/)).toMatchObject({ line: 5, col: 3 });
  });

  it('rejects an input bound to an unknown step', () => {
    const text = yaml(
      'steps:',
      '  a:',
      '    type: command',
      '    command: [true]',
      '    outputs: { o: {} }',
      '  b:',
      '    type: command',
      '    command: [cat, "${{inputs.x}}"]',
      '    inputs:',
      '      x: ${{steps.nosuch.outputs.o}}',
    );
    const p = problem(text, /unknown step/);
    expect(p).toMatchObject({ line: 10, col: 10 });
    expect(p.message).toContain("'nosuch'");
  });

  it('rejects an input bound to an unknown output of a known step', () => {
    const text = yaml(
      'steps:',
      '  a:',
      '    type: command',
      '    command: [true]',
      '    outputs: { o: {} }',
      '  b:',
      '    type: command',
      '    command: [true]',
      '    inputs:',
      '      x: ${{steps.a.outputs.missing}}',
    );
    const p = problem(text, /has no output/);
    expect(p).toMatchObject({ line: 10, col: 10 });
    expect(p.message).toContain("'missing'");
  });

  it('rejects run_after naming an unknown step, at the list item', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [true]', '    run_after: [b, ghost]', '  b:', '    type: command', '    command: [true]');
    const p = problem(text, /run_after/);
    expect(p).toMatchObject({ line: 5, col: 20 });
    expect(p.message).toContain("'ghost'");
  });

  it('rejects an unknown parameter in arguments, at the argument', () => {
    const text = yaml(
      'parameters:',
      '  rate: { type: number, default: 0.1 }',
      'steps:',
      '  a:',
      '    type: python',
      '    script: a.py',
      '    arguments:',
      '      - --rate',
      '      - ${{parameters.rate}}',
      '      - --epochs',
      '      - ${{parameters.epochs}}',
    );
    const p = problem(text, /unknown parameter/);
    expect(p).toMatchObject({ line: 11, col: 9 });
    expect(p.message).toContain("'epochs'");
  });

  it('rejects references to undeclared inputs and outputs of the step itself', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [cp, "${{inputs.src}}", "${{outputs.dst}}"]');
    expect(problem(text, /no input 'src'/)).toMatchObject({ line: 4 });
    expect(problem(text, /no output 'dst'/)).toMatchObject({ line: 4 });
  });

  it('rejects ${{steps...}} outside an input binding', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [true]', '    outputs: { o: {} }', '  b:', '    type: command', '    command: [cat, "${{steps.a.outputs.o}}"]');
    expect(problem(text, /may only bind an input/)).toMatchObject({ line: 8, col: 20 });
  });

  it('rejects a malformed expression', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [echo, "${{params.x}}"]');
    expect(problem(text, /unknown expression/)).toMatchObject({ line: 4 });
  });

  it('names a cycle a -> b -> a with the position of a step in it', () => {
    const text = yaml(
      'steps:',
      '  start:',
      '    type: command',
      '    command: [true]',
      '  a:',
      '    type: command',
      '    command: [true]',
      '    outputs: { o: {} }',
      '    run_after: [b, start]',
      '  b:',
      '    type: command',
      '    command: [cat, "${{inputs.x}}"]',
      '    inputs:',
      '      x: ${{steps.a.outputs.o}}',
    );
    const p = problem(text, /cycle/);
    expect(p.message).toMatch(/dependency cycle: (a -> b -> a|b -> a -> b)$/);
    // The position is the key of the step the cycle is named from (line 5 "a:" or line 10 "b:").
    const line = p.message.includes('a -> b -> a') ? 5 : 10;
    expect(p).toMatchObject({ line, col: 3 });
  });

  it('rejects a step that runs after itself', () => {
    const text = yaml('steps:', '  a:', '    type: command', '    command: [true]', '    run_after: [a]');
    expect(problem(text, /itself/)).toMatchObject({ line: 5, col: 17 });
  });

  it('rejects a parameter default that does not fit its declaration, at the default', () => {
    const text = yaml(
      'parameters:',
      '  epochs: { type: integer, default: 1.5 }',
      '  mode:',
      '    type: string',
      '    enum: [fast, slow]',
      '    default: medium',
      '  rate: { type: number, default: 5, min: 0, max: 1 }',
      'steps:',
      '  a: { type: command, command: [true] }',
    );
    expect(problem(text, /'epochs'/)).toMatchObject({ line: 2, col: 37 });
    expect(problem(text, /'mode'/)).toMatchObject({ line: 6, col: 14 });
    expect(problem(text, /'rate'/).message).toContain('<= 1');
  });

  it('rejects a parameter of an unknown type and min > max', () => {
    const bad = yaml('parameters:', '  x: { type: float }', 'steps:', '  a: { type: command, command: [true] }');
    expect(problem(bad, /parameters\.x\.type/)).toMatchObject({ line: 2, col: 14 });
    const text = yaml('parameters:', '  x: { type: number }', '  y: { type: number, min: 3, max: 1 }', 'steps:', '  a: { type: command, command: [true] }');
    expect(problem(text, /min is greater than max/)).toMatchObject({ line: 3, col: 6 });
  });

  it('checks datastore, compute, environment and dataset names when the workspace is given', () => {
    const text = yaml(
      'defaults:',
      '  compute: gpu',
      'steps:',
      '  a:',
      '    type: command',
      '    command: [true]',
      '    environment: conda',
      '    inputs:',
      '      d: { datastore: blob, path: x }',
      '      e: { dataset: nope }',
      '    outputs:',
      '      o: { datastore: lake }',
    );
    expect(problem(text, /compute target 'gpu'/, NAMES)).toMatchObject({ line: 2, col: 12 });
    expect(problem(text, /environment 'conda'/, NAMES)).toMatchObject({ line: 7, col: 18 });
    expect(problem(text, /datastore 'blob'/, NAMES)).toMatchObject({ line: 9, col: 23 });
    expect(problem(text, /dataset 'nope'/, NAMES)).toMatchObject({ line: 10, col: 21 });
    expect(problem(text, /datastore 'lake'/, NAMES)).toMatchObject({ line: 12, col: 23 });
    // Without workspace names the same pipeline is valid.
    expect(validatePipeline(FILE, text).order).toEqual(['a']);
  });

  it('lists every problem, sorted by position', () => {
    const text = yaml('steps:', '  a:', '    type: python', '    oops: 1', '  b:', '    type: command', '    command: [true]', '    colour: 2');
    const { error, lines } = problemsOf(text);
    expect(error.message).toMatch(/\(2 problems\)/);
    expect(lines[0]).toContain(':4:5: unknown key');
    expect(lines[1]).toContain(':8:5: unknown key');
  });

  it('rejects an empty pipeline', () => {
    const { lines } = problemsOf(yaml('name: x', 'steps: {}'));
    expect(lines.join('\n')).toMatch(/at least one step/);
  });
});

describe('validateWorkspaceConfig', () => {
  it('accepts the documented keys', () => {
    const cfg = validateWorkspaceConfig(
      '/ws/millrace.yml',
      yaml(
        'datastores:',
        '  default: { path: datastores/default }',
        'compute:',
        '  local: { type: local, max_concurrency: 2 }',
        'environments:',
        '  default: { python: python3, env: { PYTHONUNBUFFERED: "1" } }',
        'server: { host: 127.0.0.1, port: 8765 }',
        'executor: { kill_grace_ms: 300 }',
      ),
    );
    expect(cfg.compute?.local.max_concurrency).toBe(2);
    expect(cfg.executor?.kill_grace_ms).toBe(300);
  });

  it('rejects an unknown compute type with its position', () => {
    try {
      validateWorkspaceConfig('/ws/millrace.yml', yaml('compute:', '  big: { type: kubernetes }'));
      throw new Error('expected a UserError');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toContain('/ws/millrace.yml:2:');
      expect((e as UserError).message).toContain("Expected 'local' | 'slurm'");
    }
  });
});
