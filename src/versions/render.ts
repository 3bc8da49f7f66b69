/**
 * The version matrix as text: terminal, Markdown (PR comment, check run, job summary) and JSON (schema-versioned).
 * Artifact paths are untrusted: escaped for Markdown, folded to one line in the terminal (the CLI neutralises
 * workflow commands in everything it prints).
 */
import { logSafeLine } from '../report/log-safe.js';
import { escapeInline, link, table } from '../report/markdown-utils.js';
import type { Outcome } from './bisect.js';
import { describeHostCompatibility } from './host.js';
import type { VersionsArtifact, VersionsChange, VersionsReport } from '../model/versions.js';

const outcome = (o: Outcome): string => (o.cause ? `${o.verdict} (${o.cause})` : o.verdict);

/** "works with 20.0.2, breaks from 21.0.0 (REGRESSION …)"; also for fixes and changes of cause. */
export function changeSentence(c: VersionsChange): string {
  const passBefore = c.before.verdict === 'PASS';
  const passAfter = c.after.verdict === 'PASS';
  if (passBefore && !passAfter) return `works with ${c.lastBefore}, breaks from ${c.firstAfter}: ${outcome(c.after)}`;
  if (!passBefore && passAfter) return `fails with ${c.lastBefore} (${outcome(c.before)}), works from ${c.firstAfter}`;
  return `${outcome(c.before)} up to ${c.lastBefore}, ${outcome(c.after)} from ${c.firstAfter}`;
}

/** One sentence: what was checked and how many artifacts change (the check run's title, the comment's lead). */
export function versionsHeadline(r: VersionsReport): string {
  const n = r.releases.length;
  const checked = r.releases.filter((x) => x.checked).length;
  const what = r.runtime.engine === 'per-release' ? "each release's wasmtime with its own adapter" : "each release's adapter";
  const host = r.releases.find((x) => x.p2Host)?.p2Host;
  const on = r.runtime.engine === 'fixed' && host ? ` on ${host.name} ${host.version}`.trimEnd() : '';
  const differ = r.artifacts.filter((a) => a.differs).length;
  const bisected = r.mode === 'bisect' ? `, bisect checked ${checked} of ${n} releases` : '';
  const changes = differ === 0 ? 'no artifact changes' : differ === 1 ? '1 artifact changes' : `${differ} artifacts change`;
  return (
    `${r.artifacts.length} artifact${r.artifacts.length === 1 ? '' : 's'} × ${n} wasmtime release${n === 1 ? '' : 's'} ` +
    `(${what}${on}${bisected}): ${changes} outcome`
  );
}

const short = (verdict: string): string => verdict.replace('CONVERT-FAIL', 'CONV-FAIL').replace('REGRESSION', 'REGRESS');

export function renderVersionsTerminal(r: VersionsReport): string {
  if (r.configurationError) return `configuration error (${r.configurationError.option}): ${r.configurationError.message}\n`;
  const releases = r.releases.map((x) => x.version);
  const nameWidth = Math.min(40, Math.max(8, ...r.artifacts.map((a) => logSafeLine(a.path).length)));
  const width = Math.max(9, ...releases.map((v) => v.length)) + 1;
  const lines = [versionsHeadline(r), '', `${''.padEnd(nameWidth)}  ${releases.map((v) => v.padEnd(width)).join('')}`.trimEnd()];
  for (const a of r.artifacts) {
    const cells = releases.map((v) => {
      const c = a.cells.find((x) => x.release === v);
      return (c ? short(c.verdict) : '·').padEnd(width);
    });
    lines.push(`${logSafeLine(a.path).slice(0, nameWidth).padEnd(nameWidth)}  ${cells.join('')}`.trimEnd());
    for (const c of a.changes) lines.push(`  ${changeSentence(c)}  ${c.notes}`);
    if (a.hosts) lines.push(`  hosts: ${describeHostCompatibility(a.hosts)}`);
  }
  lines.push('');
  for (const rel of r.releases.filter((x) => x.convertedHosts)) {
    lines.push(`converted with the ${rel.version} adapter: ${describeHostCompatibility(rel.convertedHosts!)}`);
  }
  if (r.hostCheck) lines.push(hostCheckLine(r));
  const unknown = r.releases.filter((x) => !x.known).map((x) => x.version);
  if (unknown.length) lines.push(`not in the release data (no host answer): ${unknown.join(', ')}`);
  lines.push(
    `${r.checks.done} checks (a full matrix: ${r.checks.matrix})${r.checks.cached ? `, ${r.checks.cached} from the cache` : ''}, ` +
      `${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}

/** An artifact path (untrusted) as an inline code span that is safe in a table cell. */
function codePath(p: string): string {
  return `\`${p
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]/g, ' ')
    .slice(0, 120)}\``;
}

function artifactRow(a: VersionsArtifact, releases: string[]): string[] {
  return [
    codePath(a.path),
    ...releases.map((v) => {
      const c = a.cells.find((x) => x.release === v);
      if (!c) return '·';
      return c.cause ? `${c.verdict} ${escapeInline(`(${c.cause})`)}` : c.verdict;
    }),
  ];
}

export function renderVersionsMarkdown(r: VersionsReport): string {
  if (r.configurationError) {
    const { option, message } = r.configurationError;
    return `### wasm-p2-check versions\n\nConfiguration error (\`${option}\`): ${escapeInline(message)}\n`;
  }
  return `### wasm-p2-check versions\n\n${escapeInline(versionsHeadline(r))}\n\n${renderVersionsSection(r)}`;
}

/** The matrix, the changes and the host answers (a report's Markdown puts it under its own heading). */
export function renderVersionsSection(r: VersionsReport): string {
  const releases = r.releases.map((x) => x.version);
  const out: string[] = [];
  out.push(
    table(
      ['artifact', ...releases.map((v) => link(v, r.releases.find((x) => x.version === v)!.notes))],
      r.artifacts.map((a) => artifactRow(a, releases)),
    ),
  );
  const changed = r.artifacts.filter((a) => a.changes.length);
  if (changed.length) {
    out.push('', '#### Where it changes', '');
    for (const a of changed) {
      for (const c of a.changes) {
        out.push(`- ${codePath(a.path)}: ${escapeInline(changeSentence(c))} (${link(`${c.firstAfter} release notes`, c.notes)})`);
      }
    }
  }
  const hostLines = [
    ...r.releases
      .filter((x) => x.convertedHosts)
      .map((x) => `- converted with the ${x.version} adapter: ${escapeInline(describeHostCompatibility(x.convertedHosts!))}`),
    ...r.artifacts.filter((a) => a.hosts).map((a) => `- ${codePath(a.path)}: ${escapeInline(describeHostCompatibility(a.hosts!))}`),
  ];
  if (hostLines.length) out.push('', '#### Which hosts can instantiate the components', '', ...hostLines);
  if (r.hostCheck) out.push('', escapeInline(hostCheckLine(r)));
  out.push('', `${r.checks.done} checks (a full matrix: ${r.checks.matrix}), ${(r.durationMs / 1000).toFixed(1)} s.`);
  return `${out.join('\n')}\n`;
}

/** How the data's host answers fared against the runs on a real wasmtime. */
function hostCheckLine(r: VersionsReport): string {
  const { confirmed, contradicted } = r.hostCheck!;
  const host = r.releases.find((x) => x.p2Host)?.p2Host;
  const on = host ? `${host.name} ${host.version}` : 'the host';
  if (contradicted.length === 0) return `host data confirmed by running on ${on}: ${confirmed} of ${confirmed} answers`;
  const first = contradicted[0]!;
  return (
    `host data contradicted on ${on} for ${contradicted.length} of ${confirmed + contradicted.length} answers ` +
    `(e.g. ${first.artifact} with ${first.release}: expected ${first.expected ? 'to instantiate' : 'a refusal'}, got ${outcome(first)})`
  );
}

export function renderVersionsJson(r: VersionsReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
