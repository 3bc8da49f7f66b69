/**
 * The `{placeholders}` of evidence and predict templates: which ones exist, and which a given signature can fill.
 * The engine fills them (engine.ts); the loader rejects a template naming one that cannot exist for its signature,
 * so a typo is a load error instead of an evidence line that silently never shows.
 */
import type { Matchers, Signature } from './signature-schema.js';
import { namedGroups } from './pattern.js';

/** Filled from the context whenever the data is there (artifact, trap, conversion, runs, verdict). */
export const CONTEXT_PLACEHOLDERS = [
  'artifact.path',
  'toolchain.language',
  'toolchain.compiler',
  'toolchain.version',
  'toolchain.evidence',
  'host.name',
  'realloc.import',
  'realloc.path',
  'host.evidence',
  'module.style',
  'module.hasCabiRealloc',
  'imports.nonWasi',
  'imports.modules',
  'features',
  'module.targetFeatures',
  'module.legacyExceptions',
  'memory.pages',
  'trap.kind',
  'trap.message',
  'trap.format',
  'trap.adapterLine.line',
  'trap.adapterLine.text',
  'conversion.error',
  'adapter.name',
  'adapter.version',
  'adapter.wasiVersion',
  'adapter.kind',
  'p1.exitCode',
  'p1.runtime',
  'p1.stdout',
  'p1.timeoutMs',
  'p2.exitCode',
  'p2.runtime',
  'p2.stdout',
  'p2.timeoutMs',
  'verdict',
] as const;

export type ContextPlaceholder = (typeof CONTEXT_PLACEHOLDERS)[number];

/** `{placeholder}` occurrences in a template (names hold no whitespace or braces). */
export const PLACEHOLDER_RE = /\{([^{}\s]+)\}/g;

function textPatternSources(list: readonly (string | { pattern: string })[] | undefined): string[] {
  return (list ?? []).map((p) => (typeof p === 'string' ? p : p.pattern));
}

/** Placeholders the conditions of one `matchers` / `supporting` block can fill when they hold. */
function fromMatchers(m: Matchers | undefined, out: Set<string>): void {
  if (!m) return;
  const patterns: string[] = [];
  if (m.message) {
    out.add('match.message');
    patterns.push(...textPatternSources(m.message));
  }
  if (m.conversion?.error) {
    out.add('conversion.match');
    patterns.push(...textPatternSources(m.conversion.error));
  }
  for (const phase of ['p1', 'p2'] as const) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const list = m[phase]?.[stream];
      if (!list) continue;
      out.add(`${phase}.${stream}.match`);
      patterns.push(...textPatternSources(list));
    }
  }
  for (const p of patterns) for (const g of namedGroups(p)) out.add(`m.${g}`);
  for (const f of [...(m.frames ?? []), ...(m.framesAnywhere ?? [])]) if (f.as !== undefined) out.add(`frame.${f.as}`);
  if (m.hostWorld !== undefined) for (const k of ['interface', 'wanted', 'host', 'reason', 'fix']) out.add(`linker.${k}`);
  if (m.facts?.imports) out.add('imports.matched');
  if (m.facts?.exports) out.add('exports.matched');
  if (m.facts?.features) out.add('features.matched');
  if (m.adapterLine) {
    for (const k of ['check', 'category', 'fn', 'version', 'versions', 'candidates']) out.add(`adapterLine.${k}`);
  }
}

/** Every placeholder a template of `sig` may name. */
export function placeholdersOf(sig: Pick<Signature, 'matchers' | 'supporting'>): Set<string> {
  const out = new Set<string>(CONTEXT_PLACEHOLDERS);
  fromMatchers(sig.matchers, out);
  fromMatchers(sig.supporting, out);
  return out;
}

/** Load-time problems: templates naming placeholders this signature can never fill. */
export function placeholderProblems(sig: Signature): string[] {
  const known = placeholdersOf(sig);
  const problems: string[] = [];
  const check = (at: string, template: string) => {
    for (const [, name] of template.matchAll(PLACEHOLDER_RE)) {
      if (!known.has(name!))
        problems.push(`${at}: unknown placeholder {${name}} (this signature can fill: ${[...known].sort().join(', ')})`);
    }
  };
  for (const [i, t] of sig.evidence.entries()) check(`/evidence/${i}`, t);
  if (sig.predict !== undefined) check('/predict', sig.predict);
  return problems;
}
