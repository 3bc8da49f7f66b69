/**
 * The release matrix's report (`versions`): each release's outcome per artifact, where it changes, host compatibility.
 * Types only, below both the matrix that builds it (versions/) and the Report that carries it (so neither imports the other).
 */

import type { AdapterInfo } from './convert.js';
import type { RuntimeId } from './runtime.js';
import type { RuntimeChoice } from '../options/runtimes.js';

export const VERSIONS_SCHEMA_VERSION = 1;

export interface Outcome {
  verdict: string;
  /** The leading diagnosis (signature id) or conversion error class, when it fails. */
  cause?: string;
}

/** Consecutive runs of releases with the same answer, oldest first: `14.0.0–18.0.4 cannot, 19.0.0–48.0.0 can`. */
export interface HostRange {
  from: string;
  to: string;
  ok: boolean;
  /** What the oldest release of the range lacks (when it cannot). */
  missing: string[];
}

export interface HostCompatibility {
  /** The imports judged (WASI and other interfaces; a converted module's are its adapter's). */
  imports: string[];
  ranges: HostRange[];
  /** Oldest known host that can instantiate it, if any. */
  oldest?: string;
}

export interface VersionsCell {
  release: string;
  verdict: string;
  cause?: string;
  /** Taken from the result cache. */
  cached?: boolean;
  /** The data's answer for this release's host and the component's imports (a component given, or converted). */
  hostFits?: boolean;
}

export interface VersionsChange {
  lastBefore: string;
  firstAfter: string;
  before: Outcome;
  after: Outcome;
  /** The notes of the first release with the new outcome. */
  notes: string;
}

export interface VersionsArtifact {
  path: string;
  sha256: string;
  kind: string;
  /** Checked releases only, oldest first. */
  cells: VersionsCell[];
  changes: VersionsChange[];
  /** Its outcome is not the same with every checked release. */
  differs: boolean;
  /** For a component given as is: which hosts can instantiate it (from its imports against the release data). */
  hosts?: HostCompatibility;
}

export interface VersionsRelease {
  version: string;
  notes: string;
  /** Checked (a matrix checks all; bisect only some). */
  checked: boolean;
  /** Known to the release data (its adapter imports and host). */
  known: boolean;
  p2Host?: RuntimeId;
  adapter?: Pick<AdapterInfo, 'sha256' | 'version' | 'wasiVersion' | 'source'>;
  /** Which hosts can instantiate a module converted with this release's command adapter (from its imports). */
  convertedHosts?: HostCompatibility;
}

export interface VersionsReport {
  schemaVersion: typeof VERSIONS_SCHEMA_VERSION;
  kind: 'versions';
  tool: { name: 'wasm-p2-check'; version: string };
  createdAt: string;
  mode: 'matrix' | 'bisect';
  runtime: { requested: RuntimeChoice; engine: 'fixed' | 'per-release'; p1?: RuntimeId };
  releases: VersionsRelease[];
  /** Artifacts whose outcome differs between releases first, then the rest, each in input order. */
  artifacts: VersionsArtifact[];
  /**
   * The data's host answers set against the runs, when a wasmtime engine ran P2: `confirmed` where the run agreed
   * (instantiated when the data said it could, failed on the imports when it said it could not), else `contradicted`.
   */
  hostCheck?: {
    confirmed: number;
    contradicted: { artifact: string; release: string; expected: boolean; verdict: string; cause?: string }[];
  };
  /** Checks done: (release, artifact) pairs, and how many a full matrix would have done. */
  checks: { done: number; matrix: number; cached: number };
  durationMs: number;
  /** Releases that cannot be had (nothing was run), or another configuration that cannot be carried out. */
  configurationError?: { option: string; message: string };
}
