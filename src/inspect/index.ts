/**
 * inspect: what a file is (core module, component, something else) and the facts later stages need.
 * `inspectBytes` is pure; `inspectFile` only adds the read.
 */
import { createHash } from 'node:crypto';
import type { Artifact } from '../model.js';
import { DEFAULT_LIMITS } from '../guard/limits.js';
import { readRegularFile, UnsafeFileError } from '../guard/safe-fs.js';
import { parseComponent } from './component.js';
import { parseModule, validateModule } from './module.js';
import { InspectError } from './reader.js';

export { decodeProducers, toolchainOf, versionIn } from './producers.js';
export { highestWasi02 } from './component.js';
export { engineSupports } from './module.js';
export { InspectError } from './reader.js';

/**
 * The interfaces an artifact's P2 component imports besides the adapter's: a component's own imports, or the WIT
 * interfaces a module imports directly (`wasi:http/types@0.2.12`), which conversion keeps as component imports.
 */
export function componentInterfaceImports(artifact: Artifact): string[] {
  if (artifact.component) return artifact.component.imports.filter((i) => i.includes(':'));
  return Object.keys(artifact.module?.importsByModule ?? {}).filter((m) => m.includes(':'));
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const MODULE_VERSION = 1;
const COMPONENT_VERSION = 0x0d;

/** A hint for common non-wasm files, so "bad magic" says what the file looks like. */
function lookLike(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  const magicHits = MAGIC.filter((b, i) => bytes[i] === b).length;
  if (bytes.length >= 4 && magicHits === 3) return ' (one byte off the wasm magic: the file looks corrupted)';
  if (head.startsWith('\x7fELF')) return ' (looks like an ELF executable)';
  if (head.startsWith('MZ')) return ' (looks like a Windows executable)';
  if (head.startsWith('PK\x03\x04')) return ' (looks like a zip archive)';
  if (head.startsWith('\x1f\x8b')) return ' (looks like a gzip file)';
  if (head.startsWith('#!')) return ' (looks like a script)';
  if (/^\s*\((module|component)\b/.test(head) || /^\s*;;/.test(head)) {
    return ' (looks like WebAssembly text: compile it to a binary first, e.g. with wat2wasm or wasm-tools parse)';
  }
  if (/^\s*[{[]/.test(head)) return ' (looks like JSON)';
  if (/^[\x09\x0a\x0d\x20-\x7e]*$/.test(head)) return ' (looks like a text file)';
  return '';
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Inspects a binary held in memory.
 * @param path Path to record in the artifact (not read).
 * @param bytes The file's content.
 * @returns The artifact; `kind` is 'not-wasm' or 'invalid' with `error` set when it cannot be read as wasm.
 */
export function inspectBytes(path: string, bytes: Uint8Array): Artifact {
  const base = { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  const fail = (kind: 'not-wasm' | 'invalid', error: string): Artifact => ({ ...base, kind, error });

  if (bytes.length === 0) return fail('not-wasm', 'empty file (0 bytes)');
  const magicLen = Math.min(4, bytes.length);
  if (MAGIC.slice(0, magicLen).some((b, i) => bytes[i] !== b)) {
    return fail(
      'not-wasm',
      `not a WebAssembly binary: expected the magic bytes 00 61 73 6d ("\\0asm"), ` +
        `found ${hexBytes(bytes.subarray(0, 4))}${lookLike(bytes)}`,
    );
  }
  if (bytes.length < 8) {
    return fail('invalid', `truncated: ${bytes.length} bytes, but the WebAssembly header alone needs 8`);
  }
  const version = bytes[4]! | (bytes[5]! << 8);
  const layer = bytes[6]! | (bytes[7]! << 8);

  try {
    if (layer === 0) {
      if (version !== MODULE_VERSION) {
        return fail('invalid', `unsupported core module binary version ${version} (expected 1)`);
      }
      const { facts } = parseModule(bytes);
      const error = validateModule(bytes, facts.features);
      if (error) return { ...fail('invalid', error), module: facts };
      return { ...base, kind: 'module', module: facts };
    }
    if (layer === 1) {
      if (version !== COMPONENT_VERSION) {
        return fail(
          'invalid',
          `unsupported component binary version 0x${version.toString(16)} (expected 0x0d, ` +
            `the component model of WASI 0.2): rebuild it with current tools`,
        );
      }
      return { ...base, kind: 'component', component: parseComponent(bytes) };
    }
    return fail('invalid', `unknown binary layer ${layer} (version ${version}): neither a core module (layer 0) nor a component (layer 1)`);
  } catch (e) {
    if (e instanceof InspectError) return fail(e.kind, e.message);
    // A reader bug must not take the whole check down: report the file as unreadable instead.
    return fail('invalid', `could not be read as WebAssembly: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Reads and inspects a file. Never throws for a bad file: a read error is an 'invalid' artifact.
 * @param path Path to read, recorded as given.
 */
export async function inspectFile(path: string, maxBytes: number = DEFAULT_LIMITS.artifactBytes): Promise<Artifact> {
  return (await loadArtifact(path, maxBytes)).artifact;
}

/**
 * Reads an artifact the safe way (lstat first, a regular file or a link to one, at most `maxBytes`; never a FIFO or a
 * device: guard/safe-fs.ts) and inspects it. The bytes are returned for the later stages (conversion).
 */
export async function loadArtifact(
  path: string,
  maxBytes: number = DEFAULT_LIMITS.artifactBytes,
): Promise<{ artifact: Artifact; bytes?: Uint8Array }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readRegularFile(path, maxBytes, 'artifact'));
  } catch (e) {
    const reason = e instanceof UnsafeFileError ? e.reason : (e as Error).message;
    return { artifact: { path, size: 0, sha256: '', kind: 'invalid', error: `cannot read file: ${reason}` } };
  }
  return { artifact: inspectBytes(path, bytes), bytes };
}
