/** The resource limits a run is held to, with their defaults in one place. */
import type { Sandbox } from '../model.js';

export const DEFAULT_LIMITS = {
  /** Disk one run's preopen copies may use: the copy plus what the guest writes (512 MiB). */
  diskBytes: 512 * 1024 * 1024,
  /** Size of each guest linear memory (2 GiB). */
  memoryBytes: 2 * 1024 * 1024 * 1024,
  /** The stdin file (64 MiB): it is copied before the runs. */
  stdinBytes: 64 * 1024 * 1024,
  /** An artifact file (512 MiB). */
  artifactBytes: 512 * 1024 * 1024,
  /**
   * Entries (files, folders, links) in the preopen folders together (10,000): each run copies them afresh, so a
   * folder of 50,000 empty files cost minutes per artifact; counted in one scan before anything is copied.
   */
  entries: 10_000,
} as const;

/** Bytes of stdout + stderr one run may write before it is ended (also what the checker keeps on disk per run). */
export function defaultOutputLimit(outputCapBytes: number): number {
  return Math.max(64 * 1024 * 1024, outputCapBytes * 16);
}

export interface EffectiveLimits {
  diskBytes: number;
  memoryBytes: number;
  stdinBytes: number;
  outputBytes: number;
  entries: number;
}

export function limitsOf(sandbox: Sandbox): EffectiveLimits {
  return {
    diskBytes: sandbox.maxDiskBytes ?? DEFAULT_LIMITS.diskBytes,
    memoryBytes: sandbox.maxMemoryBytes ?? DEFAULT_LIMITS.memoryBytes,
    stdinBytes: sandbox.maxStdinBytes ?? DEFAULT_LIMITS.stdinBytes,
    outputBytes: sandbox.maxOutputBytes ?? defaultOutputLimit(sandbox.outputCapBytes),
    entries: sandbox.maxEntries ?? DEFAULT_LIMITS.entries,
  };
}

/** Limit for loading + compiling a guest before it starts (outside the time limit): generous, at least 5 minutes. */
export function compileTimeoutFor(timeoutMs: number): number {
  return Math.max(300_000, 2 * timeoutMs);
}
