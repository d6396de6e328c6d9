import type { CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import { mountAdviserApi } from '../console/adviser-api';
import { mountConsole } from '../console/routes';
import { adviserDirectoryFromConfig, type AdviserDirectory } from '../services/advisers/adviser-directory';
import { AdviserReferences } from '../services/advisers/adviser-references';
import { createInviteCodes, type InviteCodes } from '../services/advisers/invite-codes';
import type { Clock } from '../services/clock';
import type { Config } from '../services/config';
import { requireTemplates, type TemplateRequirements } from '../services/content/require';
import { ContentCatalog } from '../services/content/catalog';
import { ProfileRepository } from '../services/profiles/profile-repository';
import {
  createEscalationDeps,
  escalationSettingsFromConfig,
  escalationDeliveryHooks,
  EscalationSpool,
  FollowUps,
  NOTICE_TEMPLATES,
  ownerFromProfiles,
  runSlaSweep,
  type ReplayReport,
  type SlaSweepReport,
  type EscalationDeps,
  type OwnerResolver,
} from '../services/escalations';
import type { Logger } from '../services/logging';
import type { Messenger } from '../services/messaging/messenger';
import { DEFAULT_RECENT_MESSAGES, RecentMessages } from '../services/safety';
import { drainOutbox, type DrainReport } from '../services/outbox/drain';
import { OutboxRepository } from '../services/outbox/outbox-repository';
import { safeguardingJobs } from '../services/scheduling/background';
import { startJobs, type RunningJobs } from '../services/scheduling/jobs';
import { StoreRunCoordinator } from '../services/scheduling/run-coordinator';
import type { DocumentStore } from '../services/store/port';
import { AdviserChannel, ADVISER_TEMPLATES } from './middleware/adviser-channel';
import { SafetyGate, SAFETY_TEMPLATES, type SafetyScreenPort } from './middleware/safety-gate';
import { ProactiveMessenger } from './proactive-messenger';

/** How often the local escalation spool is checked for concerns to replay. */
export const SPOOL_TICK_MS = 10_000;

/** Every template the safeguarding half renders, with its params: checked at start-up. */
export const safeguardingTemplates = {
  [SAFETY_TEMPLATES.urgent]: {},
  [SAFETY_TEMPLATES.medical]: {},
  [SAFETY_TEMPLATES.harm]: {},
  [SAFETY_TEMPLATES.homelessness]: {},
  [SAFETY_TEMPLATES.destitution]: {},
  [SAFETY_TEMPLATES.medium]: {},
  [SAFETY_TEMPLATES.mediumTold]: {},
  [SAFETY_TEMPLATES.mediumNotTold]: {},
  [SAFETY_TEMPLATES.safe]: {},
  [SAFETY_TEMPLATES.askAgain]: {},
  [SAFETY_TEMPLATES.notSafe]: {},
  [NOTICE_TEMPLATES.first]: { id: 'string', severity: 'string', category: 'string', raisedAt: 'string' },
  [NOTICE_TEMPLATES.reminder]: { id: 'string', severity: 'string', category: 'string', raisedAt: 'string' },
  [NOTICE_TEMPLATES.excerpt]: { excerpt: 'string' },
  [NOTICE_TEMPLATES.dutyCover]: {},
  [ADVISER_TEMPLATES.acknowledged]: { id: 'string' },
  [ADVISER_TEMPLATES.alreadyResolved]: { id: 'string' },
  [ADVISER_TEMPLATES.notFound]: {},
  [ADVISER_TEMPLATES.notRegistered]: {},
  [ADVISER_TEMPLATES.linked]: {},
  [ADVISER_TEMPLATES.linkFailed]: {},
  [ADVISER_TEMPLATES.teamsOnly]: {},
} as const satisfies TemplateRequirements;

export interface SafeguardingWiring {
  config: Config;
  store: DocumentStore;
  /** Made by createLogger (its redaction and error serializer keep message text out of the logs). */
  logger: Logger;
  adapter: CloudAdapter;
  clock: Clock;
  /** Moderated words; default: the project's content/ folder. */
  catalog?: ContentCatalog;
  screen: SafetyScreenPort;
  /** The care leaver's linked PA; default: `profile.adviserId` from engineer E's profiles. */
  resolveOwner?: OwnerResolver;
  /** Base URL of this service as advisers reach it (for the card's Open button). */
  publicBaseUrl: () => string;
  /** Tests pass a fake; otherwise the proactive Bot Framework sender. */
  messenger?: Messenger;
  advisers?: AdviserDirectory;
  /** Each person's last few short messages, shared with export and delete my data; default: its own. */
  recentMessages?: RecentMessages;
  /** Reuse escalation deps / invite codes built elsewhere in the composition root (one instance each). */
  escalations?: EscalationDeps;
  inviteCodes?: InviteCodes;
}

export interface Safeguarding {
  readonly gate: SafetyGate;
  readonly adviserChannel: AdviserChannel;
  readonly escalations: EscalationDeps;
  readonly inviteCodes: InviteCodes;
  readonly outbox: OutboxRepository;
  readonly advisers: AdviserDirectory;
  mountRoutes(server: Server): void;
  /** Starts the outbox drain and the SLA sweep (node-cron, one run per slot across instances). */
  startJobs(): void;
  /** One drain / one sweep now, outside the schedule (tests, operations). */
  drainOnce(): Promise<DrainReport>;
  sweepOnce(): Promise<SlaSweepReport>;
  /** Replays escalations spooled locally while the store was down (tests, operations). */
  replaySpoolOnce(): Promise<ReplayReport>;
  stopJobs(): Promise<void>;
}

/** Wires escalations, outbox, advisers, the safety gate and the adviser API. Throws if a template is missing. */
export function createSafeguarding(wiring: SafeguardingWiring): Safeguarding {
  const { store, clock, logger } = wiring;
  const catalog = wiring.catalog ?? ContentCatalog.load(undefined, { clock });
  requireTemplates(catalog, safeguardingTemplates);
  const resolveOwner = wiring.resolveOwner ?? ownerFromProfiles(new ProfileRepository(store, clock));
  const advisers = wiring.escalations?.advisers ?? wiring.advisers ?? adviserDirectoryFromConfig(wiring.config);
  const outbox = wiring.escalations?.outbox ?? new OutboxRepository(store);
  const references = wiring.escalations?.references ?? new AdviserReferences(store, clock);
  const escalations = wiring.escalations ?? createEscalationDeps({
    store,
    clock,
    advisers,
    resolveOwner,
    text: catalog,
    consoleUrl: () => `${wiring.publicBaseUrl().replace(/\/$/, '')}/console/`,
    settings: escalationSettingsFromConfig(wiring.config),
    logger,
    outbox,
    references,
  });
  // Rule 1's last resort: a concern the store refuses through every retry is spooled under DATA_DIR.
  escalations.spool ??= new EscalationSpool(wiring.config.DATA_DIR, logger);
  const spool = escalations.spool;
  const inviteCodes = wiring.inviteCodes ?? createInviteCodes({ store, clock, advisers });
  const messenger = wiring.messenger ?? new ProactiveMessenger(wiring.adapter, wiring.config.MicrosoftAppId, logger);
  const gate = new SafetyGate({ screen: wiring.screen, escalations, followUps: new FollowUps(store, clock), text: catalog, logger, recentMessages: wiring.recentMessages ?? new RecentMessages(DEFAULT_RECENT_MESSAGES, clock) });
  const adviserChannel = new AdviserChannel({ advisers, references, inviteCodes, escalations, text: catalog, logger });
  if (advisers.dutyTeam().length === 0) logger.warn('no duty-team adviser is configured: unassigned escalations are visible to nobody');

  let jobs: RunningJobs | null = null;
  // The spool is this instance's own file, so its replay is not elected across instances.
  let spoolTimer: NodeJS.Timeout | null = null;
  let spoolRun: Promise<unknown> = Promise.resolve();
  const replaySpool = () => {
    spoolRun = spool.replay(escalations).catch((error: unknown) => logger.error({ err: error }, 'escalation spool replay failed'));
    return spoolRun;
  };
  // A timer callback that throws would crash the process: every failure here is logged instead.
  const spoolTick = () => {
    try {
      spool.touch(); // this instance is alive: no other instance adopts its spool
      if (spool.pendingCountNow() > 0 || spool.hasAdoptable()) void replaySpool();
    } catch (error) {
      logger.error({ err: error }, 'escalation spool check failed: it is tried again on the next tick');
    }
  };
  return {
    gate,
    adviserChannel,
    escalations,
    inviteCodes,
    outbox,
    advisers,
    mountRoutes(server) {
      mountAdviserApi(server, { advisers, escalations, inviteCodes, logger });
      mountConsole(server);
    },
    startJobs() {
      if (jobs) return;
      // On start-up, then every 10 seconds while anything waits (a counter, and one directory
      // read for spool files left by an earlier version or a stopped instance).
      void replaySpool();
      spoolTimer = setInterval(spoolTick, SPOOL_TICK_MS);
      spoolTimer.unref();
      jobs = startJobs(safeguardingJobs({ outbox, escalations, messenger, clock, logger }), {
        coordinator: new StoreRunCoordinator(store, clock),
        logger,
      });
    },
    drainOnce: () => drainOutbox({ outbox, clock }, { messenger, hooks: escalationDeliveryHooks(escalations), logger }),
    sweepOnce: () => runSlaSweep(escalations),
    replaySpoolOnce: () => spool.replay(escalations),
    async stopJobs() {
      const running = jobs;
      jobs = null;
      if (spoolTimer) clearInterval(spoolTimer);
      spoolTimer = null;
      await spoolRun;
      await running?.stop();
    },
  };
}
