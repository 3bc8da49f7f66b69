import type { CheckOptions } from './index.js';
import type { OptionName, OptionValue } from './table.js';

/** Reads one option's parsed value (the shell's own reader, which names the option its own way in errors). */
export type OptionReader = <K extends OptionName>(name: K) => OptionValue<K>;

/** The check() options both shells build from the same options (the artifacts come separately: positionals or lines). */
export function buildCheckOptions(read: OptionReader, patterns: string[], cwd: string): CheckOptions {
  const binary = read('wasmtime');
  const version = read('wasmtime-version');
  const jobs = read('jobs');
  const memoryBudget = read('memory-budget');
  const downloadBaseUrl = read('wasmtime-download-url');
  const shard = read('shard');
  return {
    patterns,
    cwd,
    runtime: read('runtime'),
    wasmtime: { ...(version ? { version } : {}), ...(binary ? { binary } : {}), ...(downloadBaseUrl ? { downloadBaseUrl } : {}) },
    adapter: read('adapter'),
    sandbox: {
      args: read('args'),
      env: read('env'),
      dirs: read('dirs'),
      stdinFile: read('stdin'),
      timeoutMs: read('timeout'),
      outputCapBytes: read('output-cap'),
      maxMemoryBytes: read('max-memory'),
      maxDiskBytes: read('max-disk'),
      maxEntries: read('max-entries'),
      ...(read('max-output') !== undefined ? { maxOutputBytes: read('max-output') } : {}),
    },
    maxArtifactBytes: read('max-artifact'),
    budgetMs: read('budget'),
    signatureDirs: read('signatures'),
    ...(jobs !== undefined ? { concurrency: jobs } : {}),
    ...(memoryBudget !== undefined ? { memoryBudgetBytes: memoryBudget } : {}),
    ...(shard ? { shard } : {}),
  };
}
