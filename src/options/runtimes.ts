/**
 * The runtimes, declared as data: the `runtime` option's values, their --help and action.yml words (src/options/table.ts
 * derives both from here), in the order they are listed. How each one is set up is src/runtime/index.ts `RUNTIMES`,
 * typed against this list, so a runtime declared here and not set up there (or the reverse) does not compile.
 *
 * A new runtime: an entry here, its factory in src/runtime/index.ts, its runner (src/runtime/<name>/); then
 * `npm run options` rewrites action.yml and docs/action.md.
 */
export const RUNTIME_CHOICES = {
  auto: {
    help: 'wasmtime on PATH or cached, else embedded',
    description:
      'wasmtime when it can be had — on PATH, in the tool cache, or downloaded — else the embedded runtime, ' +
      'with a warning in the summary and the comment',
  },
  wasmtime: {
    help: 'the wasmtime CLI, installed when needed',
    description: 'fails the step when it cannot be had',
  },
  embedded: {
    help: "Node's WASI and jco's preview2-shim",
    description: "Node's WASI and jco's preview2-shim, no download",
  },
} as const satisfies Record<string, { help: string; description: string }>;

export type RuntimeChoice = keyof typeof RUNTIME_CHOICES;

export const RUNTIME_NAMES = Object.keys(RUNTIME_CHOICES) as RuntimeChoice[];
