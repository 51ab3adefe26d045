import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The conformance suite must fail broken providers, not only pass good ones: the files in test/mutants run
 * `testProvider` against flags providers with one behaviour broken each, in a child vitest; here we check
 * that the check for that behaviour failed.
 */
const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'patchbay-mutants-'));
let results: Map<string, Map<string, string>>;

interface JsonReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

beforeAll(async () => {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const outputFile = join(outDir, 'report.json');
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [
        vitest,
        'run',
        '--config',
        'vitest.mutants.config.ts',
        '--reporter=json',
        `--outputFile=${outputFile}`,
      ],
      { cwd: exampleDir, env: { ...process.env, CI: '1' } },
      // Failing checks are the point: a non-zero exit is expected.
      () => resolve(),
    );
  });
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport;
  results = new Map();
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const suite = test.ancestorTitles[0] ?? '';
      if (!results.has(suite)) results.set(suite, new Map());
      results.get(suite)!.set(test.title, test.status);
    }
  }
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function failed(mutant: string): string[] {
  const tests = results.get(`mutant ${mutant}`);
  expect(tests, `no results for mutant ${mutant}`).toBeDefined();
  return [...tests!].filter(([, status]) => status === 'failed').map(([title]) => title);
}

describe('testProvider fails broken providers', () => {
  it('a full sync that overwrites console edits fails the out-of-band check', () => {
    expect(failed('full-sync')).toEqual(['keeps a console edit of description through a patch of rollout']);
  });

  it('ignoring the precondition fails the stale-precondition check', () => {
    expect(failed('ignores-precondition')).toEqual([
      'a stale precondition on rollout gives a conflict and nothing is overwritten',
    ]);
  });

  it('a missing normalization fails the create check (and every check that compares values)', () => {
    expect(failed('no-normalize')).toContain('creates it, and observe equals desired after normalization');
    expect(failed('no-normalize')).toContain('plans nothing right after an apply');
  });

  it('a throttling error classified as fatal fails the throttling storm', () => {
    expect(failed('throttle-fatal')).toEqual([
      'converges in a throttling storm (30% of flags calls throttled)',
    ]);
  });

  it('leaving out capabilities the type implements fails the capability check, and skips name the capability', () => {
    expect(failed('hidden-capabilities')).toEqual(['declares its type and capabilities as implemented']);
    const skipped = [...results.get('mutant hidden-capabilities')!]
      .filter(([, s]) => s === 'skipped')
      .map(([t]) => t);
    expect(skipped).toEqual([
      'immutable change plans a replace (capability immutable not declared)',
      'delete (capability delete not declared)',
      'throttling storm (capability throttling not declared)',
    ]);
  });
});
