/**
 * `wasm-p2-check explain LOG [--module FILE]`: diagnose from a pasted error log (wasmtime CLI, an embedder,
 * jco/Node), optionally with the module that produced it for the inspect facts.
 */
import { diagnose } from './diagnose/engine.js';
import { loadSignatures } from './diagnose/signatures.js';
import { normalizeLog, parseTrap } from './diagnose/trap/parse.js';
import { inspectFile } from './inspect/index.js';
import type { Artifact, Diagnosis, Trap, UnknownFailure } from './model.js';

export interface ExplainOptions {
  logText: string;
  modulePath?: string;
  signatureDirs?: string[];
  /** wasmtime release of the adapter that produced the log, when the user knows it (pins adapter line meanings). */
  adapterVersion?: string;
}

export interface ExplainResult {
  trap?: Trap;
  artifact?: Artifact;
  diagnoses: Diagnosis[];
  unknown?: UnknownFailure;
}

/** Parse the log, inspect the module if given, and diagnose. */
export async function explain(opts: ExplainOptions): Promise<ExplainResult> {
  const db = await loadSignatures(opts.signatureDirs ?? []);
  const text = normalizeLog(opts.logText);
  const trap = parseTrap(text);
  const artifact = opts.modulePath ? await inspectFile(opts.modulePath) : undefined;
  const { diagnoses, unknown } = diagnose({ trap, text, artifact, adapterVersion: opts.adapterVersion }, db);
  const result: ExplainResult = { diagnoses };
  if (trap) result.trap = trap;
  if (artifact) result.artifact = artifact;
  if (unknown) result.unknown = unknown;
  return result;
}

interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  cyan: (s: string) => string;
}

function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), cyan: wrap(36, 39) };
}

/** Wrap a paragraph at `width` columns with an indent. */
function wrapText(text: string, indent: string, width = 100): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** Terminal rendering of an explanation: the best diagnosis in full, the others in brief. */
export function renderExplanation(result: ExplainResult, options: { color: boolean }): string {
  const s = style(options.color);
  const out: string[] = [];
  const trap = result.trap;
  if (trap) {
    out.push(`${s.bold('Trap')}: ${trap.kind} — ${trap.message} ${s.dim(`(${trap.format})`)}`);
    if (trap.adapterLine) out.push(`  adapter: ${trap.adapterLine.text}`);
    const frames = trap.frames.slice(0, 8);
    for (const f of frames) out.push(s.dim(`  ${String(f.index).padStart(2)}: ${f.name} [${f.origin}]`));
    if (trap.frames.length > frames.length) out.push(s.dim(`      … ${trap.frames.length - frames.length} more frames`));
  } else {
    out.push(`${s.bold('Trap')}: none recognised in the log`);
  }
  if (result.artifact) {
    const tc = result.artifact.module?.toolchain;
    out.push(`${s.bold('Module')}: ${result.artifact.path}${tc ? ` — ${tc.language}${tc.version ? ` ${tc.version}` : ''}` : ''}`);
  }
  out.push('');
  const [best, ...rest] = result.diagnoses;
  if (best) {
    const conf = best.confidence === 'high' ? s.green(best.confidence) : best.confidence === 'medium' ? s.yellow(best.confidence) : s.red(best.confidence);
    const tag = best.severity === 'note' ? ' (note)' : '';
    out.push(`${s.bold('Diagnosis')}${tag}: ${s.bold(best.title)} ${s.dim(`[${best.signatureId}]`)} — confidence ${conf}`);
    out.push(...wrapText(best.cause, '  '));
    if (best.evidence.length) {
      out.push('', s.bold('Evidence'));
      for (const e of best.evidence) out.push(...wrapText(e, '    ').map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l)));
    }
    if (best.workarounds.length) {
      out.push('', s.bold('What to do'));
      best.workarounds.forEach((w, i) => {
        const mark = w.safe ? '' : ` ${s.red('[unsafe — do not use]')}`;
        out.push(`  ${i + 1}. ${w.text}${mark}`);
        if (w.why) out.push(...wrapText(w.why, '     ').map(s.dim));
      });
    }
    if (best.links.length) {
      out.push('', s.bold('Links'));
      for (const l of best.links) out.push(`  - ${l.title}: ${s.cyan(l.url)}`);
    }
  }
  if (rest.length) {
    out.push('', s.bold('Also matching (less specific)'));
    for (const d of rest) out.push(`  - ${d.title} ${s.dim(`[${d.signatureId}]`)} — confidence ${d.confidence}, score ${d.score}`);
  }
  if (result.unknown) {
    const u = result.unknown;
    out.push(`${s.bold('No known signature')} ${s.dim(`(fingerprint ${u.fingerprint})`)}`);
    for (const e of u.evidence) out.push(`  - ${e}`);
    out.push('', `Propose a signature: ${s.cyan(u.proposeUrl)}`);
  }
  if (!best && !result.unknown) out.push('Nothing to diagnose: the log shows no failure.');
  return `${out.join('\n')}\n`;
}
