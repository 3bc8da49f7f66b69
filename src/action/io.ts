/**
 * What the Action needs from the runner, as one small interface: inputs, outputs, the log (workflow commands),
 * the job summary and the step's failure. `coreIO()` is the runner (`@actions/core`); tests give their own, so
 * `run()` is exercised in process.
 */
import * as core from '@actions/core';

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
