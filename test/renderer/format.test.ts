// Bug 10 of issue 14, the parts that are words: "1 steps", "Attempt 0" on a reused step, and an
// error's details printed twice (the core's message already lists them).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/client.js';
import { UserError } from '../../shared/errors.js';
import { messageOf } from '../../renderer/src/lib/api/api.js';
import { attemptText, plural } from '../../renderer/src/lib/format.js';

describe('words', () => {
  it('counts in the right number', () => {
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(3, 'step')).toBe('3 steps');
    expect(plural(0, 'run')).toBe('0 runs');
    expect(plural(12345, 'run')).toBe(`${(12345).toLocaleString()} runs`);
  });

  it('a reused step ran no attempt; a started one shows its attempt and exit code', () => {
    expect(attemptText({ attempt: 0, reusedFrom: 'abc', exitCode: null })).toBe('none (reused)');
    expect(attemptText({ attempt: 0, reusedFrom: null, exitCode: null })).toBe('not started');
    expect(attemptText({ attempt: 2, reusedFrom: null, exitCode: 1 })).toBe('2 · exit code 1');
  });

  it("shows an error's details once", () => {
    // What the core sends: the UserError's message already holds its details.
    const core = new UserError('invalid recurrence', 'invalid_recurrence', ["timeZone: unknown time zone 'Mars/Olympus'"]);
    const wire = new ApiError(core.message, core.code, 400, core.details);
    expect(messageOf(wire)).toBe("invalid recurrence\n  timeZone: unknown time zone 'Mars/Olympus'");
    expect(messageOf(wire).match(/Mars/g)).toHaveLength(1);
    expect(messageOf(new ApiError('bad', 'x', 400, ['line one']))).toBe('bad\nline one');
  });
});
