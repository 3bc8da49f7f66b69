import type { Preopen } from './model.js';

/**
 * The one syntax both shells accept for the guest sandbox (CLI flags and Action inputs): `KEY=VALUE` and
 * `HOST::GUEST` (a bare `DIR` maps to the same path in the guest). Each shell adds its own validation and errors.
 */

/** `KEY=VALUE` split at the first `=` (values may contain `=`); undefined when there is none. */
export function splitEnvPair(text: string): [string, string] | undefined {
  const i = text.indexOf('=');
  return i < 0 ? undefined : [text.slice(0, i), text.slice(i + 1)];
}

/** `HOST::GUEST`, or `DIR` for both; parts may be empty (the caller rejects that). */
export function splitPreopen(text: string): Preopen {
  const i = text.indexOf('::');
  return i < 0 ? { host: text, guest: text } : { host: text.slice(0, i), guest: text.slice(i + 2) };
}
