/**
 * The data model every stage shares, in one import. Each stage owns its types next to its code (inspect/model.ts,
 * convert/model.ts, runtime/model.ts, compare/model.ts, diagnose/model.ts, report/model.ts, versions/report.ts);
 * this file only re-exports them. Stages are pure functions over these types; only runtime/ starts processes, only
 * github/ talks to the API.
 */

export * from './inspect/model.js';
export * from './convert/model.js';
export * from './runtime/model.js';
export * from './compare/model.js';
export * from './diagnose/model.js';
export * from './report/model.js';
export type * from './versions/report.js';
