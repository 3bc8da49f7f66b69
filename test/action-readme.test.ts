/**
 * The Action reference (docs/action.md), the README's workflow and the ready-to-copy workflows against action.yml:
 * the inputs/outputs tables say exactly what action.yml declares, and every workflow passes only inputs that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}
const action = parse(read('action.yml')) as ActionYml;

const section = (): string => read('docs/action.md');

/** Rows of the Markdown table whose header starts with `| <first> |`, as cells. */
function tableRows(md: string, first: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) throw new Error(`no table starting with ${first}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

const code = (s: string) => (s === '' ? '' : `\`${s}\``);

describe('the Action reference (docs/action.md) and the README', () => {
  it('lists exactly the inputs of action.yml, in order, with their defaults and descriptions', () => {
    const expected = Object.entries(action.inputs).map(([name, spec]) => [code(name), code(spec.default ?? ''), spec.description.trim()]);
    expect(tableRows(section(), 'Input')).toEqual(expected);
  });

  it('lists exactly the outputs of action.yml', () => {
    const expected = Object.entries(action.outputs).map(([name, spec]) => [code(name), spec.description.trim()]);
    expect(tableRows(section(), 'Output')).toEqual(expected);
  });

  it.each(['docs/action.md', 'docs/bot.md', 'README.md'])('%s: its YAML examples parse and use only real inputs', (file) => {
    const blocks = [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) checkWorkflow(parse(block), file);
  });
});

/** Every step using the Action passes only declared inputs. */
function checkWorkflow(doc: unknown, where: string): number {
  let uses = 0;
  const jobs = (doc as { jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> }).jobs ?? {};
  for (const job of Object.values(jobs)) {
    for (const step of job.steps ?? []) {
      if (step.uses !== './' && !step.uses?.startsWith('wasm-p2-check/wasm-p2-check@')) continue;
      uses++;
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `${where}: input ${input}`).toContain(input);
    }
  }
  return uses;
}

describe('workflows', () => {
  const files = [
    ...readdirSync(path.join(root, 'workflows')).map((f) => `workflows/${f}`),
    ...readdirSync(path.join(root, '.github', 'workflows')).map((f) => `.github/workflows/${f}`),
  ];

  it('exist: the user examples and the project CI', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'workflows/basic.yml',
        'workflows/matrix.yml',
        'workflows/fork-ci.yml',
        'workflows/fork-report.yml',
        'workflows/explain-bot.yml',
        'workflows/sharded.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/self-test.yml',
      ]),
    );
  });

  it.each(files)('%s: parses, sets explicit permissions, never uses pull_request_target, passes only real inputs', (file) => {
    const text = read(file);
    const doc = parse(text) as { on: Record<string, unknown>; permissions?: Record<string, string> };
    expect(doc.permissions, file).toBeDefined();
    expect(Object.keys(doc.on)).not.toContain('pull_request_target');
    checkWorkflow(doc, file);
  });

  it('the fork pair: stage 1 reads only and posts nothing; stage 2 runs no PR code', () => {
    const ci = parse(read('workflows/fork-ci.yml')) as {
      name: string;
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; if?: string; with?: Record<string, string> }[] }>;
    };
    expect(ci.permissions).toEqual({ contents: 'read' });
    const ciSteps = Object.values(ci.jobs).flatMap((j) => j.steps);
    expect(ciSteps.find((s) => s.uses?.startsWith('wasm-p2-check/'))?.with?.mode).toBe('report-only');
    expect(ciSteps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.if).toBe('always()');

    const report = parse(read('workflows/fork-report.yml')) as {
      on: { workflow_run: { workflows: string[] } };
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
    };
    expect(report.on.workflow_run.workflows).toEqual([ci.name]);
    expect(report.permissions).toEqual({ actions: 'read', checks: 'write', 'pull-requests': 'write' });
    const steps = Object.values(report.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false);
    expect(steps.some((s) => s.run !== undefined)).toBe(false);
    expect(steps.find((s) => s.uses?.startsWith('wasm-p2-check/'))?.with?.mode).toBe('post-from-report');
  });

  it('the bot: issues and issue_comment only, issues and pull-requests: write (its PR command) only, runs no code', () => {
    const bot = parse(read('workflows/explain-bot.yml')) as {
      on: Record<string, { types: string[] }>;
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
    };
    expect(bot.on).toEqual({ issues: { types: ['opened', 'edited'] }, issue_comment: { types: ['created', 'edited'] } });
    expect(bot.permissions).toEqual({ issues: 'write', 'pull-requests': 'write' });
    const steps = Object.values(bot.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout') || s.run !== undefined)).toBe(false);
    expect(steps.find((s) => s.uses?.startsWith('wasm-p2-check/'))?.with?.mode).toBe('explain');
  });
});
