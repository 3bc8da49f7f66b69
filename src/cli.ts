#!/usr/bin/env node
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { check } from './check.js';
import { HELP, parseCli, UsageError } from './cli-args.js';
import { readBoundedLog } from './diagnose/text-bounds.js';
import { explain, renderExplanation } from './explain.js';
import { reportFails } from './fail-on.js';
import type { ProgressEvent } from './options/index.js';
import { renderJson } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { renderTerminal } from './report/terminal.js';
import { VERSION } from './version.js';

/** argv → options → check → render → exit code. The only place (with action.ts) that reads the environment. */
async function main(argv: string[]): Promise<number> {
  const command = parseCli(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`wasm-p2-check ${VERSION}\n`);
      return 0;
    case 'explain': {
      // Read in one bounded pass: a log of any size costs a fixed amount of memory and matching.
      const logText = await readBoundedLog(command.log === '-' ? process.stdin : createReadStream(command.log)).catch((e: Error) => {
        throw new UsageError(`explain: cannot read ${command.log}: ${e.message}`);
      });
      const result = await explain({ logText, modulePath: command.module, signatureDirs: command.signatureDirs });
      process.stdout.write(command.json ? `${JSON.stringify(result, null, 2)}\n` : renderExplanation(result, { color: command.color ?? process.stdout.isTTY === true }));
      return 0;
    }
    case 'check': {
      const onProgress = command.quiet ? undefined : progressPrinter();
      const report = await check({ ...command.options, cwd: process.cwd(), onProgress });
      const json = renderJson(report);
      if (command.json) await output(command.json, json);
      if (command.markdown) await output(command.markdown, renderMarkdown(report, {}));
      if (command.json !== '-' && command.markdown !== '-') {
        process.stdout.write(renderTerminal(report, { color: command.color ?? process.stdout.isTTY === true }));
      }
      return reportFails(report, command.failOn) ? 1 : 0;
    }
  }
}

function progressPrinter(): (event: ProgressEvent) => void {
  const started = Date.now();
  return (event) => {
    const t = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    if (!event.artifact) {
      if (event.message) process.stderr.write(`[${t}s] ${event.message}\n`);
      return;
    }
    // One line per artifact keeps CI logs readable; the stage lines only on a terminal.
    if (event.stage === 'done') process.stderr.write(`[${t}s] ${event.artifact}: ${event.message ?? 'done'}\n`);
    else if (process.stderr.isTTY) process.stderr.write(`[${t}s] ${event.artifact}: ${event.stage}…\n`);
  };
}

async function output(target: string, text: string): Promise<void> {
  if (target === '-') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else await writeFile(target, text);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-p2-check: ${e.message}\n(see wasm-p2-check --help)\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`wasm-p2-check: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    }
  },
);
