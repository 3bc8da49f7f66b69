/**
 * Artifacts are admitted by memory, not only by count. Checking one costs the checker's process tree memory that
 * grows with the artifact's size (its bytes in the checker, the converter's input, parse and output, the hosts'
 * copies and compiled code): measured for a 524 MB module, the tree peaked at 5.7 GB (8.7-9.2 GB before the
 * converter wrote components and transpiled files itself). With `--jobs` alone, four such files at once exhaust a 16 GB runner. So each
 * artifact asks the budget for its estimate before it starts, and waits while the artifacts already running hold too
 * much of it; one larger than the whole budget runs alone.
 * Admission is first come, first served (a large artifact is not starved by small ones behind it).
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** What checking one artifact of `bytes` costs the process tree at its peak, as measured (see docs/cli.md). */
export function artifactMemoryEstimate(bytes: number): number {
  return ARTIFACT_BASE_BYTES + ARTIFACT_BYTES_PER_BYTE * bytes;
}

/** The tree's memory for a small artifact: the two hosts and the checker's share of the converter (~300 MB measured). */
export const ARTIFACT_BASE_BYTES = 512 * 1024 * 1024;
/** Peak tree memory per artifact byte, measured at 524 MB (5.7 GB for the tree, see docs/cli.md), rounded up. */
export const ARTIFACT_BYTES_PER_BYTE = 12;

/** The memory this machine (or its cgroup, when smaller) gives: the default budget takes 3/4 of it. */
export function defaultMemoryBudget(): number {
  return Math.floor(machineMemory() * 0.75);
}

function machineMemory(): number {
  const total = totalmem();
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (/^\d+$/.test(text) && Number(text) > 0 && Number(text) < total) return Number(text);
    } catch {
      // no such cgroup file
    }
  }
  return total;
}

/** A first-come, first-served budget of bytes. */
export class MemoryBudget {
  private used = 0;
  private running = 0;
  private readonly waiting: { bytes: number; admit: () => void }[] = [];

  constructor(readonly totalBytes: number) {}

  /** Waits until `bytes` fit (or nothing else runs), then holds them; call the returned function to give them back. */
  async acquire(bytes: number): Promise<() => void> {
    if (this.waiting.length > 0 || !this.fits(bytes)) {
      await new Promise<void>((admit) => this.waiting.push({ bytes, admit }));
    } else this.take(bytes);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
      this.running--;
      this.admitWaiting();
    };
  }

  /** Runs `work` holding `bytes` of the budget. */
  async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(bytes);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private fits(bytes: number): boolean {
    return this.running === 0 || this.used + bytes <= this.totalBytes;
  }

  private take(bytes: number): void {
    this.used += bytes;
    this.running++;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.admit();
    }
  }
}
