/**
 * Markdown for what `explain` found in pasted text (the bot's reply to an issue or a comment). A pure function of
 * explain results: every string that came from the pasted text (trap messages, frame names, evidence filled from it)
 * goes through `markdown-utils`, so it cannot inject HTML, ping users, or add lines that look like the reply's own
 * markers (every line we emit starts with our own text).
 */
import type { Diagnosis, ExplainResult, Trap } from '../model.js';
import { unknownSummary } from './format.js';
import { causeAndEvidence, workarounds } from './markdown.js';
import { details, escapeInline, inlineMarkdown, link, sanitizeGuestText } from './markdown-utils.js';

/** One examined block of the text and what `explain` made of it. */
export interface ExplainFinding {
  /** 1-based number of the code/`<details>` block in the text; 0 = the whole text (it had no blocks). */
  block: number;
  result: ExplainResult;
}

/** Whether a finding says anything: a diagnosis, or (when unknowns are wanted) a recognised trap with none. */
export function isKnown(f: ExplainFinding): boolean {
  return f.result.diagnoses.length > 0;
}

/** A WebAssembly failure was recognised (a trap) but no signature explains it. */
export function isUnknownTrap(f: ExplainFinding): boolean {
  return f.result.diagnoses.length === 0 && f.result.trap !== undefined;
}

const CONFIDENCE_ICON: Record<Diagnosis['confidence'], string> = { high: '🎯', medium: '🔎', low: '❔' };

/**
 * The findings of one text, one part per distinct diagnosis (the same trap pasted twice is one part), best first.
 * @param withUnknown also show recognised traps that no signature explains
 * @returns '' when there is nothing to say
 */
export function renderExplainFindings(findings: ExplainFinding[], withUnknown: boolean): string {
  const parts: string[] = [];
  const byTop = new Map<string, { d: Diagnosis; blocks: number[]; f: ExplainFinding }>();
  for (const f of findings) {
    const top = f.result.diagnoses[0];
    if (!top) continue;
    const seen = byTop.get(top.signatureId);
    if (seen) {
      seen.blocks.push(f.block);
      if (top.score > seen.d.score) Object.assign(seen, { d: top, f });
    } else byTop.set(top.signatureId, { d: top, blocks: [f.block], f });
  }
  for (const { d, blocks, f } of [...byTop.values()].sort((a, b) => b.d.score - a.d.score)) {
    parts.push(diagnosisPart(d, blocks, f));
  }
  if (withUnknown) {
    const unknowns = new Map<string, { f: ExplainFinding; blocks: number[] }>();
    for (const f of findings.filter(isUnknownTrap)) {
      const key = f.result.unknown?.fingerprint ?? f.result.trap!.message;
      const seen = unknowns.get(key);
      if (seen) seen.blocks.push(f.block);
      else unknowns.set(key, { f, blocks: [f.block] });
    }
    for (const { f, blocks } of unknowns.values()) parts.push(unknownPart(f, blocks));
  }
  return parts.join('\n\n');
}

function where(blocks: number[]): string {
  const numbered = blocks.filter((b) => b > 0);
  if (numbered.length === 0) return 'in the text';
  return `in ${numbered.length === 1 ? 'block' : 'blocks'} ${numbered.join(', ')}`;
}

function trapLine(trap: Trap | undefined): string | undefined {
  if (!trap) return undefined;
  const shown = trap.adapterLine?.text ?? trap.message;
  const frame =
    trap.frames.find((fr) => fr.origin === 'adapter' && !/assert_fail|unreachable/.test(fr.name)) ??
    trap.frames.find((fr) => fr.origin === 'guest');
  const inFrame = frame ? ` in ${escapeInline(oneLine(frame.name, 120))}` : '';
  return `**Trap:** ${escapeInline(oneLine(shown, 240))}${inFrame}`;
}

function diagnosisPart(d: Diagnosis, blocks: number[], f: ExplainFinding): string {
  const out = [
    `#### ${CONFIDENCE_ICON[d.confidence]} ${inlineMarkdown(d.title)}`,
    '',
    `${d.confidence} confidence · \`${d.signatureId.replace(/[`\n]/g, '')}\` · ${where(blocks)}`,
    '',
  ];
  const trap = trapLine(f.result.trap);
  if (trap) out.push(trap, '');
  if (d.workarounds.length) out.push(...workarounds(d), '');
  const why = causeAndEvidence(d);
  const others = f.result.diagnoses.slice(1).filter((x) => x.signatureId !== d.signatureId);
  if (others.length) why.push(`**Other candidates:** ${others.map((x) => `${inlineMarkdown(x.title)} (${x.confidence})`).join(' · ')}`, '');
  while (why[why.length - 1] === '') why.pop();
  out.push(details('Why: cause and evidence', why.join('\n')));
  return out.join('\n');
}

function unknownPart(f: ExplainFinding, blocks: number[]): string {
  const u = f.result.unknown;
  const out = [`#### ❔ No known signature ${where(blocks)}`, ''];
  const trap = trapLine(f.result.trap);
  if (trap) out.push(trap, '');
  if (u) {
    out.push(
      `${inlineMarkdown(unknownSummary(u.summary))}`,
      '',
      `Fingerprint \`${u.fingerprint.replace(/[`\n]/g, '')}\` · ${link('propose a signature', u.proposeUrl)}`,
    );
  }
  return out.join('\n');
}

/** 'go-heap-clobbers-adapter-state' → 'wasm:go-heap-clobbers-adapter-state', within GitHub's 50 characters. */
export function labelFor(signatureId: string): string {
  return `wasm:${signatureId.replace(/[^A-Za-z0-9._-]/g, '-')}`.slice(0, 50);
}

/** The distinct diagnoses worth a label: a failure (not a note) found with at least medium confidence. */
export function labelDiagnoses(findings: ExplainFinding[]): Diagnosis[] {
  const seen = new Map<string, Diagnosis>();
  for (const f of findings) {
    const top = f.result.diagnoses[0];
    if (top && top.severity !== 'note' && top.confidence !== 'low' && !seen.has(top.signatureId)) seen.set(top.signatureId, top);
  }
  return [...seen.values()];
}

function oneLine(text: string, max: number): string {
  return sanitizeGuestText(text, max).replace(/\s+/g, ' ').trim();
}
