/** `mode: explain` (the bot): answer WebAssembly errors pasted into the issue or comment of this event (github/bot.ts). */
import { answerEvent } from '../../github/bot.js';
import { tokenLogin } from '../../github/client.js';
import type { OptionValue } from '../../options/table.js';
import type { ModeUnit } from '../mode.js';
import { failStep } from '../publish.js';

export interface ExplainInputs {
  bot: { onUnknown: OptionValue<'on-unknown'>; labels: boolean; signatureDirs: string[] };
}

export const explainMode: ModeUnit<ExplainInputs> = {
  inputs: (read) => ({ bot: { onUnknown: read('on-unknown'), labels: read('labels'), signatureDirs: read('signatures') } }),
  // The answer is the bot's reply, posted here; nothing is left to publish.
  obtain: async ({ io, octokit, runner }, { bot }) => {
    try {
      // The mode table's `token: { needs }` has made sure of a client.
      const outcome = await answerEvent(octokit!, runner.event, { ...bot, self: await tokenLogin(octokit!), log: (m) => io.info(m) });
      io.info(
        outcome.action === 'ignored' || outcome.action === 'silent'
          ? `No reply: ${outcome.reason}`
          : `Reply ${outcome.action}: ${outcome.url}`,
      );
      io.setOutput('result', outcome.action);
    } catch (e) {
      await failStep(io, 'wasm-p2-check could not answer', e);
    }
    return undefined;
  },
};
