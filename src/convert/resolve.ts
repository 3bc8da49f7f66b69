/**
 * The adapter, resolved once before any artifact: the configured `AdapterSpec` becomes the two adapters (command and
 * reactor) every conversion uses. What cannot be had is a ConfigError naming the `adapter` option — except for `auto`,
 * whose release adapter is a preference: when it cannot be downloaded (offline runner, outage) the bundled adapter is
 * used with one warning, and any version skew with the runtime is recorded.
 */
import semver from 'semver';
import type { Note, ReportAdapter } from '../model.js';
import { ConfigError, type AdapterSpec } from '../options/index.js';
import { adapterFromFile, bundledAdapter, type ResolvedAdapter } from './adapter.js';

export type AdapterKind = 'command' | 'reactor';

export interface AdapterSet {
  command: ResolvedAdapter;
  reactor: ResolvedAdapter;
  /** Fallbacks and skews, for the report's warnings. */
  warnings: Note[];
  report: ReportAdapter;
}

/** The runtime's side: its wasmtime version (none for the embedded runtime) and how to get that release's adapter. */
export interface AdapterRuntime {
  wasmtimeVersion?: string;
  releaseAdapter: (version: string, kind: AdapterKind) => Promise<ResolvedAdapter>;
}

export function describeSpec(spec: AdapterSpec): string {
  return spec.kind === 'file' ? `file ${spec.path}` : spec.kind === 'release' ? `release ${spec.version}` : spec.kind;
}

async function both(get: (kind: AdapterKind) => Promise<ResolvedAdapter>): Promise<[ResolvedAdapter, ResolvedAdapter]> {
  const command = await get('command');
  return [command, await get('reactor')];
}

/** Resolve the configured adapter. @throws ConfigError('adapter', …) when a named adapter cannot be had. */
export async function resolveAdapters(spec: AdapterSpec, runtime: AdapterRuntime): Promise<AdapterSet> {
  const warnings: Note[] = [];
  let pair: [ResolvedAdapter, ResolvedAdapter];
  switch (spec.kind) {
    case 'bundled':
      pair = await both(bundledAdapter);
      break;
    case 'file': {
      // One user file for every module (its kind is read from its exports; the diagnosis flags a mismatch).
      const file = await adapterFromFile(spec.path).catch((e: Error) => {
        throw new ConfigError('adapter', e.message);
      });
      pair = [file, file];
      break;
    }
    case 'release':
      pair = await both((kind) => runtime.releaseAdapter(spec.version, kind)).catch((e: Error) => {
        throw new ConfigError('adapter', `the adapter of wasmtime ${spec.version} cannot be had: ${e.message}`);
      });
      break;
    case 'auto': {
      const version = runtime.wasmtimeVersion;
      if (!version) {
        pair = await both(bundledAdapter);
        break;
      }
      try {
        pair = await both((kind) => runtime.releaseAdapter(version, kind));
      } catch (e) {
        pair = await both(bundledAdapter);
        warnings.push({
          code: 'adapter-fallback',
          message:
            `The adapter of wasmtime ${version} could not be had (${(e as Error).message}): ` +
            `converted with the bundled adapter${pair[0].info.version ? ` (wasmtime ${pair[0].info.version})` : ''} instead.`,
        });
      }
      break;
    }
  }
  const [command, reactor] = pair;
  const skew = skewNote(command.info.version, runtime.wasmtimeVersion);
  if (skew) warnings.push(skew);
  return { command, reactor, warnings, report: { requested: describeSpec(spec), command: command.info, reactor: reactor.info } };
}

/** Adapter and runtime from different wasmtime majors: a component may import a WASI the runtime lacks, or v.v. */
function skewNote(adapterVersion: string | undefined, runtimeVersion: string | undefined): Note | undefined {
  const a = semver.coerce(adapterVersion);
  const r = semver.coerce(runtimeVersion);
  if (!a || !r || a.major === r.major) return undefined;
  return {
    code: 'adapter-runtime-skew',
    message:
      `The adapter is from wasmtime ${adapterVersion}, ` +
      `the runtime is wasmtime ${runtimeVersion}: a difference may come from that version skew.`,
  };
}
