/**
 * The mode table (src/action/modes/index.ts): every mode the `mode` input accepts has a unit in its own file and
 * declared publishing rules, and the rules are what each mode is documented to do.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../src/action/modes/index.js';
import { OPTIONS } from '../../src/options/table.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('the Action mode table', () => {
  // What the `mode` input accepts, as its parser words its refusal ('expected one of check, report-only, …').
  const accepted = (() => {
    try {
      (OPTIONS.mode.parse as (text: string) => string)('?');
    } catch (e) {
      return /expected one of (.+)$/.exec((e as Error).message)?.[1]?.split(', ') ?? [];
    }
    return [];
  })();

  it('has an entry for every mode the `mode` input accepts, and no other', () => {
    expect(accepted.length).toBeGreaterThan(0);
    expect(Object.keys(MODES).sort()).toEqual([...accepted].sort());
  });

  it.each(Object.entries(MODES))(
    '%s: a unit in src/action/modes/<mode>.ts, with inputs and obtain, and publishing rules',
    (mode, entry) => {
      expect(existsSync(path.join(root, 'src', 'action', 'modes', `${mode}.ts`))).toBe(true);
      expect(typeof entry.unit.inputs).toBe('function');
      expect(typeof entry.unit.obtain).toBe('function');
      const rules: Record<string, unknown> = entry.publishing;
      expect(Object.keys(rules).sort()).toEqual(['baseline', 'checkRun', 'comment', 'gates', 'token', 'writesReport']);
    },
  );

  it('declares what each mode is documented to do', () => {
    const { check, 'report-only': reportOnly, 'post-from-report': post, merge, explain } = MODES;
    // The fork-safe stage posts nothing and uses no token; its report file is what the second stage publishes.
    expect(reportOnly.publishing).toMatchObject({ writesReport: true, checkRun: 'never', comment: false, token: 'unused' });
    // Publishing a saved report never fails the step for the verdicts (the checking run did), nor rewrites the report.
    expect(post.publishing).toMatchObject({ writesReport: false, gates: false, comment: true });
    // A required check never waits forever: the modes that check complete it even when no result could be had.
    expect(check.publishing.checkRun).toBe('always');
    expect(merge.publishing.checkRun).toBe('always');
    expect(explain.publishing).toMatchObject({ token: { needs: 'issues: write' }, checkRun: 'never', comment: false });
    // Only the modes that check (or merge this run's checks) keep a baseline; a saved report is compared, never kept.
    expect([check, reportOnly, merge].map((m) => m.publishing.baseline)).toEqual([
      'compare-and-keep',
      'compare-and-keep',
      'compare-and-keep',
    ]);
    expect([post.publishing.baseline, explain.publishing.baseline]).toEqual(['compare', 'none']);
  });
});
