/**
 * Failures no signature explains get a stable fingerprint, so the same unknown failure seen on two machines
 * (other paths, offsets, build hashes, line numbers) is recognisably the same, and a prefilled link to
 * propose a signature for it.
 */
import { createHash } from 'node:crypto';
import type { Frame, Trap, UnknownFailure } from '../model.js';

/** Where "propose a signature" issues go. The one place the repository's owner is named. */
export const ISSUES_REPO = 'wasm-p2-check/wasm-p2-check';

/** Frames that take part in the fingerprint (innermost first). */
export const FINGERPRINT_FRAMES = 6;

/** A frame name without build-specific parts: Rust hashes, crate disambiguators, wasm function indices, offsets. */
export function normalizeFrameName(name: string): string {
  return name
    .replace(/::h[0-9a-f]{16}\b/g, '')
    .replace(/\[[0-9a-f]{1,16}\]/g, '')
    .replace(/wasm-function\[\d+\]/g, 'wasm-function[N]')
    .replace(/<wasm function \d+>/g, '<wasm function N>')
    .replace(/\b0x[0-9a-f]+\b/gi, '0x?')
    .replace(/@\d+\.\d+\.\d+(?:-[\w.-]+)?/g, '@V')
    .trim();
}

/** Paths (which may name the user's machine) replaced by `<path>`. */
export function maskPaths(text: string): string {
  return text.replace(/(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?/g, '<path>');
}

/** A message without what varies between machines and runs: paths, hex, numbers, versions, quoted file names. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?/g, '<path>')
    .replace(/`[^`\n]*\.wasm`/g, '`<file>`')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/@\d+\.\d+\.\d+(?:-[\w.-]+)?/g, '@<version>')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

function frameKey(f: Frame): string {
  return `${f.origin}:${normalizeFrameName(f.name)}`;
}

/** The part of a backtrace that identifies a failure: the innermost frames, minus anonymous host/JS glue. */
export function fingerprintFrames(frames: readonly Frame[]): string[] {
  return frames
    .filter((f) => f.origin !== 'host')
    .slice(0, FINGERPRINT_FRAMES)
    .map(frameKey);
}

/** Stable 16-hex-digit fingerprint of a failure: normalised top frames + normalised message. */
export function fingerprint(frames: readonly Frame[], message: string): string {
  const material = [...fingerprintFrames(frames), `message:${normalizeMessage(message)}`].join('\n');
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/** What the failure looked like, for the unknown-failure report and the proposal link. */
export interface UnknownInput {
  /** The message the failure is best described by (trap message, conversion error, first stderr line). */
  message: string;
  trap?: Trap;
  /** Further evidence lines (verdict, exit codes, toolchain …). */
  evidence: string[];
}

/**
 * The prefilled "propose a signature" link. GitHub caps URLs around 8 KB, so the body is kept short and
 * holds only normalised material (no user paths).
 */
export function proposeUrl(fp: string, summary: string, evidence: readonly string[], frames: readonly string[]): string {
  const title = `Signature proposal: ${maskPaths(summary)}`.slice(0, 120);
  const body = [
    `Fingerprint: \`${fp}\``,
    '',
    '**Evidence**',
    ...evidence.map((e) => `- ${maskPaths(e).slice(0, 300)}`),
    '',
    '**Top frames (normalised)**',
    '```',
    ...(frames.length ? frames : ['(none)']),
    '```',
    '',
    'What built the module, and what you expected: ',
  ].join('\n');
  const params = new URLSearchParams({ title, body: body.slice(0, 5000), labels: 'signature' });
  return `https://github.com/${ISSUES_REPO}/issues/new?${params.toString()}`;
}

/** Build the `UnknownFailure` for a failure no signature matched. */
export function unknownFailure(input: UnknownInput): UnknownFailure {
  const frames = input.trap?.frames ?? [];
  const fp = fingerprint(frames, input.message);
  const firstLine =
    input.message
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'failure';
  const summary = `no known signature: ${firstLine.length > 100 ? `${firstLine.slice(0, 97)}...` : firstLine}`;
  const normFrames = fingerprintFrames(frames);
  const evidence = [...input.evidence];
  if (normFrames.length > 0) evidence.push(`top frames: ${normFrames.map((f) => f.replace(/^[^:]+:/, '')).join(' <- ')}`);
  return { fingerprint: fp, summary, evidence, proposeUrl: proposeUrl(fp, firstLine.slice(0, 100), input.evidence, normFrames) };
}
