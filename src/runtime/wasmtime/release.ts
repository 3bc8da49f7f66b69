/** Facts about wasmtime releases: asset names, URLs, versions, and which CLI flags exist from which release. */
import semver from 'semver';

/**
 * The release used when none is requested: 49.0.4 (2026-10-19), a 49.x patch whose release assets (incl.
 * `wasmtime-v49.0.4-x86_64-linux.tar.xz`) we have seen published — the same major as the engine the test suite runs
 * (the wasmtime 49 Python wheel) and the one the field notes' conformance runs measured. A default that 404s would
 * break every user who does not pin, so it names only a release known to exist. Bump deliberately, with the suite
 * re-run; users who want newer security patches set `wasmtime-version` (or `latest`).
 */
export const DEFAULT_WASMTIME_VERSION = '49.0.4';

export const DEFAULT_DOWNLOAD_BASE_URL = 'https://github.com/bytecodealliance/wasmtime/releases/download';
export const DEFAULT_API_BASE_URL = 'https://api.github.com';

/** Oldest release the runner drives: `--dir HOST::GUEST` and `-S`/`-W` options arrived with the v14 CLI. */
export const MIN_SUPPORTED_VERSION = '14.0.0';

/** `'v49.0.0'` → `'49.0.0'`; throws on anything that is not a plain release version or 'latest'. */
export function normalizeVersion(version: string): string {
  const v = version.trim().replace(/^v/, '');
  if (!semver.valid(v)) throw new Error(`wasmtime version "${version}" is not a release version like 49.0.0 (or "latest")`);
  return v;
}

/** The version in `wasmtime --version` output (`wasmtime 49.0.0 (17830bd 2026-09-21)`, `wasmtime-cli 6.0.1`). */
export function parseVersionOutput(text: string): string | undefined {
  return /\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\b/.exec(text)?.[1];
}

export interface ReleaseTarget {
  arch: 'x86_64' | 'aarch64';
  os: 'linux' | 'macos' | 'windows';
  ext: 'tar.xz' | 'zip';
}

/** Release target for a Node platform/arch pair; throws for combinations wasmtime publishes no CLI archive for here. */
export function releaseTarget(platform: NodeJS.Platform = process.platform, arch: string = process.arch): ReleaseTarget {
  const a = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : undefined;
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'macos' : platform === 'win32' ? 'windows' : undefined;
  if (!a || !os || (os === 'windows' && a !== 'x86_64')) {
    throw new Error(`no wasmtime release archive for ${platform}/${arch} (supported: x64/arm64 on linux and macOS, x64 on Windows)`);
  }
  return { arch: a, os, ext: os === 'windows' ? 'zip' : 'tar.xz' };
}

/** `wasmtime-v49.0.0-x86_64-linux`: the archive's base name and its top-level directory. */
export function archiveDirName(version: string, target: ReleaseTarget): string {
  return `wasmtime-v${version}-${target.arch}-${target.os}`;
}

export function releaseAssetUrl(baseUrl: string, version: string, asset: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v${version}/${asset}`;
}

function atLeast(version: string, min: string): boolean {
  const v = semver.coerce(version);
  return v !== null && semver.gte(v, min);
}

/** What the installed CLI understands, by release (checked against wasmtime's `src/commands/run.rs` / `cli-flags`). */
export interface CliFeatures {
  /** `-S cli-exit-with-code`: from v27.0.0 (#9381); always on from v46 (WASI 0.2.12), still accepted. */
  cliExitWithCode: boolean;
  /** `--argv0 NAME`: from v24.0.0 (#8961). */
  argv0: boolean;
  /** Components need `-W component-model` before v17.0.0 (on by default from v17). */
  componentModelFlag: boolean;
  /** The v14+ CLI (`--dir HOST::GUEST`, `-S`, `-W`). */
  supported: boolean;
}

export function cliFeatures(version: string): CliFeatures {
  return {
    cliExitWithCode: atLeast(version, '27.0.0'),
    argv0: atLeast(version, '24.0.0'),
    componentModelFlag: !atLeast(version, '17.0.0'),
    supported: atLeast(version, MIN_SUPPORTED_VERSION),
  };
}
