import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The wasmtime 49 engine for tests: the Python wheel installed into `.venv` (as .ci/run does), driven through
 * `test/harness/wasmtime`, a test harness that behaves like `wasmtime run`.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const harness = path.join(root, 'test', 'harness', 'wasmtime');
export const venvPython = path.join(root, '.venv', 'bin', 'python');

/** Why the engine cannot be used here, or undefined when it can. */
export function engineUnavailable(): string | undefined {
  if (!existsSync(venvPython)) return `${venvPython} does not exist (create it as .ci/run does)`;
  try {
    execFileSync(venvPython, ['-c', 'import wasmtime'], { stdio: 'ignore', timeout: 30_000 });
    return undefined;
  } catch {
    return '.venv has no wasmtime wheel (pip install --no-index <wasmtime-49*.whl>)';
  }
}
