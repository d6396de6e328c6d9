import type { TurnContext } from 'botbuilder';
import type { CloudAdapter } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { Config } from '../services/config';
import { createLogger, type Logger } from '../services/logging';
import { ConversationLeases } from '../services/store/conversation-leases';
import { openStore } from '../services/store/open-store';
import type { DocumentStore } from '../services/store/port';
import { adviserDirectoryFromConfig } from '../services/advisers/adviser-directory';
import { createInviteCodes } from '../services/advisers/invite-codes';
import { systemClock, type Clock } from '../services/clock';
import { Answerer } from '../services/content/answer';
import { ContentCatalog } from '../services/content/catalog';
import { ContentRetriever } from '../services/content/retriever';
import { createEscalationDeps, escalationSettingsFromConfig, ownerFromProfiles } from '../services/escalations';
import { OutboxRepository } from '../services/outbox/outbox-repository';
import type { Messenger } from '../services/messaging/messenger';
import { ProfileRepository } from '../services/profiles/profile-repository';
import { createSafetyScreen, DEFAULT_RECENT_MESSAGES, RecentMessages, recentMessagesDataHolder } from '../services/safety';
import { startJobs, type RunningJobs } from '../services/scheduling/jobs';
import { StoreRunCoordinator } from '../services/scheduling/run-coordinator';
import { requireTemplates } from '../services/content/require';
import { createAdapter } from './adapter';
import { allTemplateRequirements } from './template-requirements';
import { ConversationLock } from './conversation-lock';
import { localChatData, loopbackBaseUrl, mountLocalDirectLine, type LocalDirectLine } from './directline';
import { EXPORT_DOWNLOAD_PATH, exportDownloadUrl, mountExportDownload } from './http/export-download';
import { mountHealth } from './http/health';
import { mountMessages } from './http/messages';
import { InFlightTurns } from './in-flight-turns';
import type { SafetyScreenPort } from './middleware/safety-gate';
import { createSafeguarding, type Safeguarding } from './safeguarding';
import { DocumentStateStorage, FingerprintedConversationState, FingerprintedUserState } from './state-storage';
import { createJourneyServices, createTribeBot, journeyJobs } from './tribe-bot';
import { mountWebChat } from './webchat/routes';

export interface TribeApp {
  readonly server: Server;
  readonly store: DocumentStore;
  readonly logger: Logger;
  readonly adapter: CloudAdapter;
  /** The local Direct Line channel; undefined when `MicrosoftAppId` is set (the hosted one is used). */
  readonly directLine?: LocalDirectLine;
  /** Safety gate, escalations, outbox, adviser API and their background jobs. */
  readonly safeguarding: Safeguarding;
  /** Starts listening; resolves with the bound port (useful with `PORT=0`). */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight turns finish, then closes the store. */
  close(): Promise<void>;
  /** Loads what the safety screen loads on first use (the sentence encoder), so no turn waits for it. */
  warmUp(): Promise<void>;
}

export interface AppOverrides {
  store?: DocumentStore;
  /** Made by createLogger, whose redaction and error serializer keep message text out of the logs. */
  logger?: Logger;
  /** Tests: a fake clock, a fake proactive sender, another screen, or no background jobs. */
  clock?: Clock;
  messenger?: Messenger;
  safetyScreen?: SafetyScreenPort;
  backgroundJobs?: boolean;
}

/** The composition root: the only place that wires adapters, services and dialogs together. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<TribeApp> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const store = overrides.store ?? (await openStore(config));

  const stateStorage = new DocumentStateStorage(store);
  const conversationState = new FingerprintedConversationState(stateStorage);
  const userState = new FingerprintedUserState(stateStorage);
  // Content, escalations and the care leaver journeys (profiles own the PA link: the escalation owner).
  const clock = overrides.clock ?? systemClock;
  // The shipped screen, unless a test gives its own.
  const shippedScreen = overrides.safetyScreen ? null : createSafetyScreen();
  const catalog = ContentCatalog.load(undefined, { clock });
  requireTemplates(catalog, allTemplateRequirements);
  const answerer = new Answerer({ retriever: new ContentRetriever({ catalog }), logger });
  const advisers = adviserDirectoryFromConfig(config);
  // Links in adviser cards: the configured public address, else where this instance listens.
  const publicBaseUrl = () => config.PUBLIC_BASE_URL ?? loopbackBaseUrl(server);
  const exportLinkBase = config.PUBLIC_BASE_URL || config.NODE_ENV !== 'production' ? publicBaseUrl : null;
  const profiles = new ProfileRepository(store, clock);
  const outbox = new OutboxRepository(store);
  const escalations = createEscalationDeps({
    store,
    clock,
    advisers,
    resolveOwner: ownerFromProfiles(profiles),
    text: catalog,
    // The adviser card's Open button.
    consoleUrl: () => `${publicBaseUrl()}/console/`,
    settings: escalationSettingsFromConfig(config),
    logger,
    outbox,
  });
  const inviteCodes = createInviteCodes({ store, clock, advisers });
  // Read by the safety gate; reached by export and delete my data too.
  const recentMessages = new RecentMessages(DEFAULT_RECENT_MESSAGES, clock);
  // The local Web Chat channel, mounted below once the bot exists; its history is personal data too.
  let directLine: LocalDirectLine | undefined;
  const journeys = createJourneyServices({
    store,
    clock,
    catalog,
    answerQuestion: (question) => answerer.answerQuestion(question),
    escalations,
    inviteCodes,
    profiles,
    // Export my data where no file can be sent: a one-time link, never to a loopback address in production.
    exportDelivery: { downloadUrl: exportLinkBase ? (token) => exportDownloadUrl(exportLinkBase(), token) : null },
    otherPersonalData: [recentMessagesDataHolder(recentMessages), localChatData(() => directLine)],
  });
  const bot = createTribeBot(conversationState, userState, journeys);

  const adapter = createAdapter(config, logger, async (context: TurnContext) => {
    await context.sendActivity(catalog.render('error.turn-failed', {}));
  });
  // Several instances share a MongoDB store; the embedded store belongs to one process.
  adapter.use(new ConversationLock(store.kind === 'mongodb' ? new ConversationLeases(store, clock) : undefined));
  // Before the safety gate: after a crisis turn (which the gate ends) it sets the journey aside.
  adapter.use(bot.aftercare);
  // Rule 1: every message passes the safety gate before any dialog (a concern is persisted, then
  // answered in the same turn); then adviser links and card acknowledgements.
  const safeguarding = createSafeguarding({
    config,
    store,
    logger,
    adapter,
    clock,
    catalog,
    escalations,
    inviteCodes,
    screen: overrides.safetyScreen ?? shippedScreen!,
    publicBaseUrl,
    messenger: overrides.messenger,
    recentMessages,
  });
  adapter.use(safeguarding.gate);
  adapter.use(safeguarding.adviserChannel);

  const inFlight = new InFlightTurns();
  const runTurn = (context: TurnContext) => inFlight.track(() => bot.run(context));

  const server = restify.createServer({ name: 'tribe', handleUncaughtExceptions: false });
  server.on('restifyError', (req, _res, err, callback) => {
    logger.warn({ status: err.statusCode, code: err.code, path: loggablePath(req.getPath()) }, 'request rejected');
    return callback();
  });
  mountHealth(server, store);
  mountMessages(server, adapter, runTurn, { maxBodySize: config.MAX_BODY_BYTES, logger });
  safeguarding.mountRoutes(server);
  mountExportDownload(server, {
    redeem: (token) => journeys.privacy.redeemExport(token, 'download'),
    goneMessage: () => journeys.texts.render('journeys.privacy.export.link-gone'),
    logger,
  });
  // Local Direct Line channel and the Web Chat page at `/`; in Azure the hosted Direct Line is used.
  directLine = config.MicrosoftAppId
    ? undefined
    : mountLocalDirectLine(server, {
        deliver: (activity) => adapter.processActivityDirect('', activity, runTurn),
        serviceUrl: () => loopbackBaseUrl(server),
        logger,
        maxBodySize: config.MAX_BODY_BYTES,
      });
  if (directLine) mountWebChat(server);

  // Daily entitlement reminders (one run per slot across instances); the outbox drain delivers them.
  let reminderJobs: RunningJobs | null = null;

  let closed = false;
  return {
    server,
    store,
    logger,
    adapter,
    directLine,
    safeguarding,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          const address = server.address();
          // The outbox drain (every 5 s) and the escalation SLA sweep (every minute).
          if (overrides.backgroundJobs !== false) safeguarding.startJobs();
          if (overrides.backgroundJobs !== false) {
            reminderJobs ??= startJobs(journeyJobs(journeys, outbox), { coordinator: new StoreRunCoordinator(store, clock), logger });
          }
          logger.info({ port: address.port, store: store.kind }, 'Tribe is listening');
          resolve(address.port);
        });
      }),
    warmUp: async () => {
      await shippedScreen?.warmUp();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await directLine?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained();
      await safeguarding.stopJobs();
      await reminderJobs?.stop();
      await store.close();
      logger.info('Tribe stopped');
    },
  };
}

/** A request path fit for the logs: a one-time export token is a secret until it is used. */
function loggablePath(path: string): string {
  return path.startsWith(`${EXPORT_DOWNLOAD_PATH}/`) ? `${EXPORT_DOWNLOAD_PATH}/[token]` : path;
}
