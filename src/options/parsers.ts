/**
 * Value parsers shared by the CLI flags and the Action inputs. Each takes the raw text of one value (one flag
 * occurrence, one input, or one line of a multi-line input) and either returns the typed value or throws an
 * `OptionError` whose message says what was expected. The shells add the flag or input name in their own wording
 * (`--timeout '0': expected …` / `Input 'timeout' has an invalid value '0': expected …`).
 */
import path from 'node:path';
import type { Preopen } from '../model.js';
import type { AdapterSpec } from './index.js';

/** A value that does not parse; the message is the "expected …" part, without the option's name. */
export class OptionError extends Error {
  constructor(expected: string) {
    super(expected);
    this.name = 'OptionError';
  }
}

/** What a parser may need besides the text: relative paths are resolved against `cwd`. */
export interface ParseContext {
  cwd: string;
}

export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    if ((allowed as readonly string[]).includes(text)) return text as T;
    throw new OptionError(`expected one of ${allowed.join(', ')}`);
  };
}

/** Seconds (a positive number, at most a day; an `s` suffix is allowed) → milliseconds. */
export function parseSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*s?$/.exec(text);
  const seconds = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new OptionError('expected a number of seconds greater than 0 and at most 86400');
  }
  return Math.round(seconds * 1000);
}

export const MAX_OUTPUT_CAP = 64 * 1024 * 1024;

/** Bytes, optionally with a binary suffix: `65536`, `64k`, `64KiB`, `1M`, `1MiB`; more than 0, at most 64 MiB. */
export function parseByteSize(text: string): number {
  const m = /^(\d+)\s*(?:([kKmM])(?:i?[bB])?)?$/.exec(text);
  if (!m) throw new OptionError('expected a number of bytes, e.g. 65536, 64KiB or 1MiB');
  const unit = m[2]?.toLowerCase();
  const bytes = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
  if (bytes <= 0 || bytes > MAX_OUTPUT_CAP) throw new OptionError('expected more than 0 bytes and at most 64MiB');
  return bytes;
}

/** A resource limit in bytes: `512MiB`, `2GiB`, `65536`, `64k`; more than 0, at most `max` (also in bytes). */
export function limitBytes(max: number, maxText: string): (text: string) => number {
  return (text) => {
    const m = /^(\d+)\s*(?:([kKmMgG])(?:i?[bB])?)?$/.exec(text);
    if (!m) throw new OptionError('expected a number of bytes, e.g. 512MiB, 2GiB or 65536');
    const unit = m[2]?.toLowerCase();
    const bytes = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
    if (bytes <= 0 || bytes > max) throw new OptionError(`expected more than 0 bytes and at most ${maxText}`);
    return bytes;
  };
}

/** Like limitBytes, or empty for the derived default. */
export function optionalLimitBytes(max: number, maxText: string): (text: string) => number | undefined {
  const parse = limitBytes(max, maxText);
  return (text) => (text === '' ? undefined : parse(text));
}

/** A whole number from 1 to `max`. */
export function positiveInteger(max: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new OptionError(`expected a whole number from 1 to ${max}`);
    return Number(text);
  };
}

/** The YAML 1.2 core schema booleans, which is what `core.getBooleanInput` accepts. */
export function parseBoolean(text: string): boolean {
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw new OptionError('expected true or false');
}

/** `KEY=VALUE` split at the first `=` (values may contain `=`); the key is a plain environment variable name. */
export function parseEnvPair(text: string): [string, string] {
  const i = text.indexOf('=');
  const key = i < 0 ? '' : text.slice(0, i).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new OptionError('expected KEY=VALUE');
  return [key, text.slice(i + 1)];
}

/** `HOST::GUEST`, or `DIR` for both; the host side is resolved against the working directory. */
export function parsePreopen(text: string, ctx: ParseContext): Preopen {
  const i = text.indexOf('::');
  const host = (i < 0 ? text : text.slice(0, i)).trim();
  const guest = (i < 0 ? text : text.slice(i + 2)).trim();
  if (!host || !guest) throw new OptionError('expected HOST::GUEST');
  return { host: path.resolve(ctx.cwd, host), guest };
}

/** A path, resolved against the working directory; '' = not given. */
export function parseOptionalPath(text: string, ctx: ParseContext): string | undefined {
  return text === '' ? undefined : path.resolve(ctx.cwd, text);
}

/** Where the baseline report comes from: `auto` (the Action restores the base branch's), `none`, or a JSON report file. */
export type BaselineSource = { kind: 'auto' } | { kind: 'none' } | { kind: 'file'; path: string };

/** `--baseline` / `baseline`: '' = none given; `auto`, `none`, or a path resolved against cwd. */
export function parseBaselineSource(text: string, ctx: ParseContext): BaselineSource | undefined {
  if (text === '') return undefined;
  if (text === 'auto' || text === 'none') return { kind: text };
  return { kind: 'file', path: path.resolve(ctx.cwd, text) };
}

export function parsePath(text: string, ctx: ParseContext): string {
  if (text === '') throw new OptionError('expected a path');
  return path.resolve(ctx.cwd, text);
}

const RELEASE = /^v?(\d+\.\d+\.\d+)$/;

/** A wasmtime release (`49.0.4`, `v49.0.4`) or `latest`; '' = the default release. */
export function parseWasmtimeVersion(text: string): string | undefined {
  if (text === '') return undefined;
  if (text === 'latest') return text;
  const m = RELEASE.exec(text);
  if (!m) throw new OptionError("expected a release like 39.0.1 or 'latest'");
  return m[1];
}

/** Most releases one matrix takes (each is a binding: an adapter, or a wasmtime and its adapter). */
export const MAX_RELEASES = 64;

/**
 * `33.0.0,40.0.0 v47.0.0`: wasmtime releases separated by commas or spaces (`v` allowed), in any order; `33.0.0..47.0.0`
 * is a range (its ends and every known `N.0.0` release between, expanded from the release data before anything runs).
 */
export function parseReleaseList(text: string): string[] {
  const items = text.split(/[\s,]+/).filter((t) => t !== '');
  if (items.length === 0 || items.length > MAX_RELEASES) {
    throw new OptionError(`expected 1 to ${MAX_RELEASES} wasmtime releases like 33.0.0,40.0.0 (commas or spaces between)`);
  }
  const release = (item: string) => {
    const m = RELEASE.exec(item);
    if (!m) throw new OptionError(`expected wasmtime releases like 33.0.0,40.0.0 or 33.0.0..47.0.0; '${item.slice(0, 40)}' is not one`);
    return m[1]!;
  };
  return items.map((item) => {
    const range = item.split('..');
    if (range.length === 1) return release(item);
    if (range.length !== 2) release(item);
    return `${release(range[0]!)}..${release(range[1]!)}`;
  });
}

/**
 * `auto` | `bundled` | a wasmtime release (`39.0.1`, `v39.0.1`) | a path to an adapter file. Decoded here once; whether
 * the file exists or the release can be had is checked when the adapter is resolved, before any artifact runs.
 */
export function parseAdapter(text: string, ctx: ParseContext): AdapterSpec {
  if (text === '' || text === 'auto') return { kind: 'auto' };
  if (text === 'bundled') return { kind: 'bundled' };
  const m = RELEASE.exec(text);
  if (m) return { kind: 'release', version: m[1]! };
  if (/^v?\d+(\.\d+)*$/.test(text)) throw new OptionError('expected auto, bundled, a wasmtime release like 39.0.1, or an adapter file');
  return { kind: 'file', path: path.resolve(ctx.cwd, text) };
}

/** The `matrix` input: a JSON object (`${{ toJSON(matrix) }}`); `null`/empty = no matrix. */
export function parseMatrix(text: string): Record<string, unknown> | undefined {
  if (text === '' || text === 'null') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OptionError('expected a JSON object, e.g. ${{ toJSON(matrix) }}');
  }
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new OptionError('expected a JSON object, e.g. ${{ toJSON(matrix) }}');
  return value as Record<string, unknown>;
}

/** A sticky-comment key: it ends up inside an HTML comment, so only a safe alphabet and no `--`. */
export function parseCommentKey(text: string): string | undefined {
  if (text === '') return undefined;
  if (!/^[A-Za-z0-9_.:/@+=-]{1,100}$/.test(text) || text.includes('--')) {
    throw new OptionError('expected up to 100 characters of A-Z a-z 0-9 _ . : / @ + = - (and no "--")');
  }
  return text;
}

/** A title: one line of at most 100 characters, or undefined for the default. */
export function parseCommentTitle(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  if (text.length > 100 || /[\r\n]/.test(text)) throw new OptionError('expected one line of at most 100 characters');
  return text.trim();
}

/** One line of at most 255 characters (a check-run name). */
export function parseCheckName(text: string): string {
  if (text.length > 255 || /[\r\n]/.test(text)) throw new OptionError('expected one line of at most 255 characters');
  return text;
}

/** `INDEX/COUNT` (1-based, e.g. `2/3`) → a shard; '' → none. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  if (text === '') return undefined;
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new OptionError('expected INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/3');
  return { index, count };
}

/** An http(s) base URL; '' = the default. */
export function parseDownloadUrl(text: string): string | undefined {
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OptionError('expected an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OptionError('expected an http(s) URL');
  return text.replace(/\/+$/, '');
}
