// MLflow-style run search (shared/search/run-filter.ts): clauses joined by 'and', every mistake a
// UserError (invalid_query) naming the column, with the expression and a caret under the place.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors.js';
import { looksLikeFilter, parseRunFilter } from '../../../shared/search/run-filter.js';

function error(text: string): UserError {
  try {
    parseRunFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('invalid_query');
    return e as UserError;
  }
  throw new Error(`expected '${text}' to be refused`);
}

describe('parseRunFilter', () => {
  it("parses the issue's example", () => {
    expect(parseRunFilter("params.reg_rate > 0.05 and metrics.AUC >= 0.8 and tags.team = 'x'")).toEqual([
      { kind: 'params', key: 'reg_rate', op: '>', value: 0.05, at: 1 },
      { kind: 'metrics', key: 'AUC', op: '>=', value: 0.8, at: 28 },
      { kind: 'tags', key: 'team', op: '=', value: 'x', at: 51 },
    ]);
  });

  it('takes MLflow spellings: singular kinds, backticked and quoted names, AND in any case, ==, <>', () => {
    const c = parseRunFilter('metric.`val loss` < 1e-3 AND param."my-rate" == 0.1 And tags.owner <> "bob"');
    expect(c.map((x) => [x.kind, x.key, x.op, x.value])).toEqual([
      ['metrics', 'val loss', '<', 0.001],
      ['params', 'my-rate', '=', 0.1],
      ['tags', 'owner', '!=', 'bob'],
    ]);
    expect(parseRunFilter('metrics.train/loss.last < 2')[0].key).toBe('train/loss.last');
  });

  it('attributes, with or without their prefix; LIKE, ILIKE, IN, IS NULL', () => {
    const c = parseRunFilter("status IN ('Failed', 'Canceled') and attributes.run_name like 'base%' and pipeline ilike '%TRAIN%' and tags.x is not null and description is null");
    expect(c.map((x) => [x.kind, x.key, x.op, x.value])).toEqual([
      ['attributes', 'status', 'IN', ['Failed', 'Canceled']],
      ['attributes', 'name', 'LIKE', 'base%'],
      ['attributes', 'pipeline', 'ILIKE', '%TRAIN%'],
      ['tags', 'x', 'IS NOT NULL', undefined],
      ['attributes', 'description', 'IS NULL', undefined],
    ]);
    expect(parseRunFilter("created >= '2026-03-01' and duration > 60000")[1]).toMatchObject({ key: 'duration', op: '>', value: 60000 });
    expect(parseRunFilter("params.flag = true and params.mode not in ('a', 'b')").map((x) => x.value)).toEqual([true, ['a', 'b']]);
  });

  it('an empty expression is no filter', () => {
    expect(parseRunFilter('   ')).toEqual([]);
  });

  it('names the column of each mistake, with a caret under it', () => {
    const e = error('params.reg_rate 0.05');
    expect(e.message.split("\n")[0]).toBe("invalid search at column 17: expected an operator (=, !=, >, >=, <, <=, like, ilike, in, is null) after 'reg_rate', found '0.05'");
    expect(e.details).toEqual(['params.reg_rate 0.05', '                ^']);
    expect(error('metrics.AUC >= 0.8 or tags.a = "b"').message).toMatch(/column 20: 'or' is not supported/);
    expect(error("metrics.AUC >= 'high'").message).toMatch(/column 1: metrics\.AUC: compare a metric with a number/);
    expect(error('metrics.AUC >=').message).toMatch(/column 15: expected a value, found the end/);
    expect(error("colour = 'red'").message).toMatch(/column 1: unknown attribute 'colour'/);
    expect(error("foo.bar = 'x'").message).toMatch(/unknown key type 'foo'/);
    expect(error("tags.team = 'x").message).toMatch(/column 13: unclosed '/);
    expect(error("status > 'a'").message).toMatch(/status is text/);
    expect(error("duration like '1%'").message).toMatch(/duration is a number/);
    expect(error("created > 'yesterday'").message).toMatch(/created: compare with epoch milliseconds or a date/);
    expect(error('tags.team = 3').message).toMatch(/tag values are text/);
    expect(error('metrics.a > 1 metrics.b > 2').message).toMatch(/column 15: expected 'and' before 'metrics'/);
    expect(error("params.x like 3").message).toMatch(/LIKE takes a 'quoted pattern'/);
    expect(error('status in (').message).toMatch(/expected a value, found the end/);
    expect(error('status is not nothing').message).toMatch(/expected 'null' after 'is not'/);
  });
});

describe('looksLikeFilter', () => {
  it('tells expressions from words to look for', () => {
    for (const t of ['params.x > 1', 'metrics.AUC >= 0.8', "status = 'Failed'", "run_name like 'a%'", 'tags.`a b` is null', 'status in (1)']) expect(looksLikeFilter(t), t).toBe(true);
    for (const t of ['training', '0mx4k9', 'sample.yml', 'constructor.x = 1', 'toString = 1', 'nightly run', 'a.b']) expect(looksLikeFilter(t), t).toBe(false);
  });
});
