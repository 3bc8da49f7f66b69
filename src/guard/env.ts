/**
 * What a child process of the checker gets from the checker's own environment: nothing it does not need to start.
 * Every process it spawns (guest hosts, wasmtime, the jco converter) takes its environment from here, so the
 * checker's secrets (GITHUB_TOKEN, INPUT_*) never reach one.
 */
/** An environment for the host process itself: empty on POSIX, the bare system variables Windows needs to start. */
export function minimalHostEnv(): Record<string, string> {
  if (process.platform !== 'win32') return {};
  const env: Record<string, string> = {};
  for (const key of ['SYSTEMROOT', 'WINDIR', 'SystemRoot']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
