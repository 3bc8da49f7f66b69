/** Messages between the checker and its jco converter process (jco-process.ts ↔ jco-server.ts). */
import type { transpileBytes } from '@bytecodealliance/jco-transpile';

export type TranspileOptions = NonNullable<Parameters<typeof transpileBytes>[1]>;

export type JcoRequest =
  /** With `outPath`, the converter writes the component there and answers how many bytes it wrote. */
  | { id: number; op: 'componentNew'; module: Uint8Array; adapters: [string, Uint8Array][]; outPath?: string }
  /** With `outDir`, the converter writes the files there (but `.d.ts`) and answers their names and sha256s, and the JS. */
  | { id: number; op: 'transpile'; component: Uint8Array; options: TranspileOptions; outDir?: string };

export type JcoAnswer =
  | { id: number; ok: true; component: Uint8Array }
  | { id: number; ok: true; written: number }
  | { id: number; ok: true; files: Record<string, Uint8Array>; exports: [string, string][] }
  | { id: number; ok: true; wroteFiles: [name: string, sha256: string][]; js: Uint8Array | undefined; exports: [string, string][] }
  | { id: number; ok: false; error: { message: string } | string };
