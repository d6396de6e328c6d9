import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import type { CloudAdapter } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { Config } from '../services/config';
import { createLogger, type Logger } from '../services/logging';
import { openStore } from '../services/store/open-store';
import type { DocumentStore } from '../services/store/port';
import { RootDialog } from '../dialogs/root-dialog';
import { createAdapter } from './adapter';
import { ConversationLock } from './conversation-lock';
import { loopbackBaseUrl, mountLocalDirectLine, type LocalDirectLine } from './directline';
import { mountHealth } from './http/health';
import { mountMessages } from './http/messages';
import { InFlightTurns } from './in-flight-turns';
import { DocumentStateStorage } from './state-storage';
import { TribeBot } from './tribe-bot';
import { mountWebChat } from './webchat/routes';

export interface TribeApp {
  readonly server: Server;
  readonly store: DocumentStore;
  readonly logger: Logger;
  readonly adapter: CloudAdapter;
  /** The local Direct Line channel; undefined when `MicrosoftAppId` is set (the hosted one is used). */
  readonly directLine?: LocalDirectLine;
  /** Starts listening; resolves with the bound port (useful with `PORT=0`). */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight turns finish, then closes the store. */
  close(): Promise<void>;
}

export interface AppOverrides {
  store?: DocumentStore;
  logger?: Logger;
}

/** The composition root: the only place that wires adapters, services and dialogs together. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<TribeApp> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const store = overrides.store ?? (await openStore(config));

  const stateStorage = new DocumentStateStorage(store);
  const conversationState = new ConversationState(stateStorage);
  const userState = new UserState(stateStorage);
  const bot = new TribeBot(conversationState, userState, new RootDialog());

  const adapter = createAdapter(config, logger, async (context: TurnContext) => {
    await context.sendActivity('Sorry, something went wrong on my side. Please try again in a minute.');
  });
  adapter.use(new ConversationLock());

  const inFlight = new InFlightTurns();
  const runTurn = (context: TurnContext) => inFlight.track(() => bot.run(context));

  const server = restify.createServer({ name: 'tribe', handleUncaughtExceptions: false });
  server.on('restifyError', (req, _res, err, callback) => {
    logger.warn({ status: err.statusCode, code: err.code, path: req.getPath() }, 'request rejected');
    return callback();
  });
  mountHealth(server, store);
  mountMessages(server, adapter, runTurn, { maxBodySize: config.MAX_BODY_BYTES, logger });
  // Local Direct Line channel and the Web Chat page at `/`; in Azure the hosted Direct Line is used.
  const directLine = config.MicrosoftAppId
    ? undefined
    : mountLocalDirectLine(server, {
        deliver: (activity) => adapter.processActivityDirect('', activity, runTurn),
        serviceUrl: () => loopbackBaseUrl(server),
        logger,
        maxBodySize: config.MAX_BODY_BYTES,
      });
  if (directLine) mountWebChat(server);

  let closed = false;
  return {
    server,
    store,
    logger,
    adapter,
    directLine,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          const address = server.address();
          logger.info({ port: address.port, store: store.kind }, 'Tribe is listening');
          resolve(address.port);
        });
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await directLine?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained();
      await store.close();
      logger.info('Tribe stopped');
    },
  };
}
