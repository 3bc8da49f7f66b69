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

/**
 * What converting a module or transpiling a component (in the converter process, see convert/jco-process.ts) may
 * cost: time once the converter takes it up (as generous as compiling a guest, at least a minute), and the converter's
 * resident memory (its own base, plus a multiple of the input's size: jco holds the input, its parse and its output).
 */
export function converterLimitsFor(timeoutMs: number, inputBytes: number): { timeMs: number; memoryBytes: number } {
  return {
    timeMs: Math.max(CONVERTER_MIN_TIME_MS, 2 * timeoutMs),
    memoryBytes: CONVERTER_BASE_BYTES + CONVERTER_BYTES_PER_INPUT_BYTE * inputBytes,
  };
}

export const CONVERTER_MIN_TIME_MS = 60_000;
/** The converter's memory before any input (jco's modules, Node): ~120 MB measured, with room. */
export const CONVERTER_BASE_BYTES = 1024 * 1024 * 1024;
export const CONVERTER_BYTES_PER_INPUT_BYTE = 12;
