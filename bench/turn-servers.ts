import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import { DialogSet, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import restify from 'restify';
import { createApp } from '../bot/app';
import { createAdapter } from '../bot/adapter';
import { mountMessages } from '../bot/http/messages';
import { loadConfig } from '../services/config';
import { createLogger } from '../services/logging';

/**
 * A child process for bench/turns: serves either Tribe (durable embedded store) or the baseline,
 * a bare WaterfallDialog bot on MemoryStorage behind the same restify host and messages route.
 * Prints `port=<n>` when ready.
 */
async function serveTribe(dataDir = mkdtempSync(join(tmpdir(), 'tribe-bench-'))): Promise<number> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  const app = await createApp(config);
  return app.listen();
}

async function serveBaseline(): Promise<number> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const conversationState = new ConversationState(new MemoryStorage());
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const dialogs = new DialogSet(dialogState).add(
    new WaterfallDialog('echo', [
      async (step) => {
        await step.context.sendActivity('Hello from the baseline.');
        return step.endDialog();
      },
    ]),
  );
  const adapter = createAdapter(config, logger, async () => undefined);
  const runTurn = async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === 'empty') await dc.beginDialog('echo');
    await conversationState.saveChanges(context, false);
  };
  const server = restify.createServer({ name: 'baseline' });
  mountMessages(server, adapter, runTurn, { maxBodySize: config.MAX_BODY_BYTES, logger });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// bench/turns asks for this process's CPU time before and after each round.
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0));

// `turn-servers.js tribe [data directory]`: bench/turns passes a directory it removes afterwards.
const [which, dataDir] = process.argv.slice(2);
(which === 'tribe' ? serveTribe(dataDir) : serveBaseline()).then((port) => process.stdout.write(`port=${port}\n`));
