// File calls on the app protocol: the same paths as over HTTP, mapped to the contract's file calls.
import { describe, expect, it } from 'vitest';
import { httpRequestFor } from '../../shared/api/http.js';
import { dispositionFor, fileCallFor } from '../../main/electron/app-files.js';

describe('fileCallFor', () => {
  it('maps the URLs the HTTP client would build for file calls back to {name, args}', () => {
    const image = httpRequestFor('runs/image', { id: 'r1', path: 'images/roc curve.png', step: 'train' });
    expect(fileCallFor(`millrace://app${image.url}`)).toEqual({ name: 'runs/image', args: { id: 'r1', path: 'images/roc curve.png', step: 'train' } });
    const out = httpRequestFor('runs/output-file', { id: 'r1', step: 'prep', output: 'clean data', path: 'a/b.csv' });
    expect(fileCallFor(`millrace://app${out.url}`)).toEqual({ name: 'runs/output-file', args: { id: 'r1', step: 'prep', output: 'clean data', path: 'a/b.csv' } });
  });

  it('answers only file calls, on the app origin', () => {
    expect(fileCallFor('millrace://app/api/v1/runs/r1')).toBeNull(); // JSON calls go over IPC
    expect(fileCallFor('millrace://app/api/v1/runs/r1/outputs')).toBeNull();
    expect(fileCallFor('millrace://app/index.html')).toBeNull();
    expect(fileCallFor('millrace://other/api/v1/runs/r1/images?path=x.png')).toBeNull();
    expect(fileCallFor('https://app/api/v1/runs/r1/images?path=x.png')).toBeNull();
    expect(fileCallFor('millrace://app/api/v1/runs/%E0%A4%A/images?path=x.png')).toBeNull();
  });

  it('leaves validation (and path confinement) to dispatch: args pass through as given', () => {
    expect(fileCallFor('millrace://app/api/v1/runs/r1/images?path=../../etc/passwd&extra=1')?.args).toEqual({ id: 'r1', path: '../../etc/passwd', extra: '1' });
  });

  it('shows images inline and downloads the rest, with safe file names', () => {
    expect(dispositionFor('roc.png', true)).toBe(`inline; filename="roc.png"; filename*=UTF-8''roc.png`);
    expect(dispositionFor('a"b\\ü.csv', false)).toBe(`attachment; filename="a_b__.csv"; filename*=UTF-8''a%22b%5C%C3%BC.csv`);
  });
});
