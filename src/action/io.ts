/**
 * What the Action needs from the runner, as one small interface: inputs, outputs, the log (workflow commands),
 * the job summary and the step's failure. `coreIO()` is the runner (`@actions/core`); tests give their own, so
 * `run()` is exercised in process.
 */
import * as core from '@actions/core';
import { logSafe, logSafeLine } from '../report/log-safe.js';

/** Where a workflow annotation lands (`::error file=…,title=…::`). */
export interface AnnotationProps {
  file?: string;
  title?: string;
}

export interface ActionIO {
  /** Like `core.getInput(name)`: the raw value, '' when unset. */
  getInput(name: string): string;
  setOutput(name: string, value: string | number): void;
  info(message: string): void;
  warning(message: string, props?: AnnotationProps): void;
  error(message: string, props?: AnnotationProps): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Appends Markdown to the job summary; false (with the reason logged) when the runner gave none. */
  writeSummary(markdown: string): Promise<boolean>;
  /** Marks the step failed (exit code 1) and logs `::error::`. */
  setFailed(message: string): void;
}

/** The runner's side, through `@actions/core`. */
export function coreIO(): ActionIO {
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    info: (m) => core.info(m),
    warning: (m, props) => core.warning(m, props),
    error: (m, props) => core.error(m, props),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
    writeSummary: async (markdown) => {
      try {
        await core.summary.addRaw(markdown, true).write();
        return true;
      } catch (e) {
        core.summary.emptyBuffer();
        core.info(`No job summary written: ${(e as Error).message}`);
        return false;
      }
    },
    setFailed: (m) => core.setFailed(m),
  };
}

/**
 * `io` with everything it prints made log-safe (report/log-safe.ts): no message, group name, annotation title or
 * file property can carry a raw newline, an escape sequence or a workflow command into the runner's log, whatever
 * artifact names, guest output or producer strings it holds. `run()` wraps the io it is given.
 */
export function logSafeIO(io: ActionIO): ActionIO {
  const props = (p?: AnnotationProps): AnnotationProps | undefined =>
    p && {
      ...(p.file !== undefined ? { file: logSafeLine(p.file) } : {}),
      ...(p.title !== undefined ? { title: logSafeLine(p.title) } : {}),
    };
  // Methods named one by one: `io` may be a class instance (its methods are not own properties to spread).
  return {
    getInput: (name) => io.getInput(name),
    setOutput: (name, value) => io.setOutput(name, value),
    endGroup: () => io.endGroup(),
    writeSummary: (markdown) => io.writeSummary(markdown),
    info: (m) => io.info(logSafe(m)),
    warning: (m, p) => io.warning(logSafe(m), props(p)),
    error: (m, p) => io.error(logSafe(m), props(p)),
    startGroup: (name) => io.startGroup(logSafeLine(name)),
    setFailed: (m) => io.setFailed(logSafe(m)),
  };
}
