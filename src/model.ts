/**
 * The data model every stage shares, in one import. The types are split by the stage that owns them, one file each in
 * model/ (inspect, convert, runtime, compare, diagnose, report, versions); this file only re-exports them. They sit
 * together on the ground floor rather than in the stage folders because the stages refer to each other's types
 * (the report holds all of them), and a type import into a stage folder would run up the floors. Stages are pure
 * functions over these types; only runtime/ starts processes, only github/ talks to the API.
 */

export * from './model/inspect.js';
export * from './model/convert.js';
export * from './model/runtime.js';
export * from './model/compare.js';
export * from './model/diagnose.js';
export * from './model/report.js';
export type * from './model/versions.js';
