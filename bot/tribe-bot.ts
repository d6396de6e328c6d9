import {
  ActivityHandler,
  ActivityTypes,
  type ConversationState,
  type InvokeResponse,
  type Middleware,
  type StatePropertyAccessor,
  TurnContext,
  type UserState,
} from 'botbuilder';
import { type Dialog, DialogSet, type DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { shareDialogsComponentRegistration, shareMemoryConfiguration, skipActivityReceivedEvent } from './dialog-fast-paths';
import { CheckInDialog } from '../dialogs/checkin-dialog';
import { EntitlementsDialog } from '../dialogs/entitlements-dialog';
import { HousingDialog, WorkLearningDialog } from '../dialogs/goals-dialog';
import { PeopleDialog } from '../dialogs/people-dialog';
import { answerFileConsent, defaultExportDelivery, type ExportDelivery, FILE_CONSENT_INVOKE } from '../dialogs/privacy-dialog';
import { dialogTemplates, type JourneyServices } from '../dialogs/journey-services';
import { readableDate } from '../dialogs/dates';
import { RootDialog, type RootOptions } from '../dialogs/root-dialog';
import { SAFETY_TURN_STATE, type SafetyVerdict } from '../dialogs/safety';
import { ERASED_KEY, type Session } from '../dialogs/session';
import type { InviteCodes } from '../services/advisers/invite-codes';
import { CheckIns } from '../services/checkins/checkins';
import type { Clock } from '../services/clock';
import type { Answer } from '../services/content/answer';
import type { ContentCatalog } from '../services/content/catalog';
import { MissingTemplatesError, requireTemplates } from '../services/content/require';
import { entitlementReminderJob, reminderDataHolder } from '../services/entitlements/reminders';
import type { OutboxRepository } from '../services/outbox/outbox-repository';
import type { JobSpec } from '../services/scheduling/jobs';
import { EntitlementStatuses, EntitlementTracker } from '../services/entitlements/tracker';
import { escalationDataHolder, type EscalationDeps } from '../services/escalations';
import { goalPlanProblems } from '../services/goals/goal-plans';
import { Goals } from '../services/goals/goals';
import { TrustedPeople } from '../services/people/trusted-people';
import { ExportHandoffs } from '../services/privacy/export-handoffs';
import { PrivacyService, type PersonalDataHolder } from '../services/privacy/privacy-service';
import { type CouncilDirectory, loadCouncils } from '../services/profiles/councils';
import { createPaContact } from '../services/profiles/pa-contact';
import { profileDataHolder, ProfileRepository } from '../services/profiles/profile-repository';
import type { DocumentStore } from '../services/store/port';

/**
 * The activity handler. Messages run the root dialog (after the safety gate, which the adapter
 * runs first); a new conversation or a Teams install gets the welcome; state is saved once, at the
 * end of the turn, or deleted when the young person asked to delete their data.
 */
export class TribeBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  /** Built once: a DialogSet holds no per-turn state (the stack lives in `dialogState`). */
  private readonly dialogs: DialogSet;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly rootDialog: Dialog,
    /** Answers Teams' file-consent invokes (export my data); without it they fall to the base class. */
    private readonly fileConsent?: (context: TurnContext) => Promise<InvokeResponse>,
  ) {
    super();
    shareDialogsComponentRegistration();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(this.rootDialog);

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = context.activity.membersAdded ?? [];
      // Web Chat and Direct Line add the user; a Teams personal install adds the bot itself.
      const someoneArrived = added.some((member) => member.id !== botId);
      const teamsInstall = context.activity.channelId === 'msteams' && added.some((member) => member.id === botId);
      if (someoneArrived || teamsInstall) await this.welcome(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
  }

  /**
   * What botbuilder's `runDialog` does for a bot that is not a skill: continue the dialog in
   * progress, or begin the root dialog. Without `runDialog`'s extras, which cost about 0.15 ms of
   * CPU a turn and did nothing here: a DialogSet and a second memory-scope manager built per
   * turn, and a "BotState" trace (a snapshot of the whole dialog memory, the young person's
   * message included) added to every reply batch, which only the Bot Framework Emulator shows.
   */
  private async continueOrBegin(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    skipActivityReceivedEvent(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.rootDialog.id);
  }

  /** Starts the welcome (onboarding, or welcome back) unless a conversation is already under way. */
  private async welcome(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) return;
    await dc.beginDialog(this.rootDialog.id, { event: 'welcome' } satisfies RootOptions);
  }

  /** A file-consent card's Allow or Decline (export my data in Teams); other invokes as before. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === FILE_CONSENT_INVOKE && this.fileConsent) return this.fileConsent(context);
    return super.onInvokeActivity(context);
  }

  override async run(context: TurnContext): Promise<void> {
    shareMemoryConfiguration(context);
    // A message goes straight to the dialogs: ActivityHandler's dispatch (about a dozen async
    // steps through Turn, Message and Dialog handlers, none registered here) does nothing else for it.
    if (context.activity.type === ActivityTypes.Message) await this.continueOrBegin(context);
    else await super.run(context);
    if (context.turnState.get(ERASED_KEY)) {
      await this.conversationState.delete(context);
      await this.userState.delete(context);
      return;
    }
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /**
   * Middleware for the adapter, registered before the safety gate. In a crisis turn the gate
   * replies and stops the turn, so no dialog runs; afterwards this sets aside the journey that was
   * in progress, so it does not carry on as if nothing had happened.
   */
  readonly aftercare: Middleware = {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      await next();
      if (context.activity.type !== ActivityTypes.Message) return;
      const safety = context.turnState.get(SAFETY_TURN_STATE) as SafetyVerdict | undefined;
      if (safety?.result.severity !== 'urgent') return;
      await this.conversationState.load(context);
      await this.dialogState.delete(context);
      await this.conversationState.saveChanges(context, false);
    },
  };
}

/** The journeys' scheduled work: reminders before an age limit, queued in the persisted outbox. */
export function journeyJobs(services: JourneyServices, outbox: OutboxRepository): JobSpec[] {
  return [
    entitlementReminderJob({
      profiles: services.profiles,
      tracker: services.tracker,
      outbox,
      clock: services.clock,
      render: (id, params) => services.catalog.render(id, params),
      formatDate: readableDate,
    }),
  ];
}

/** The root dialog with every journey; its session lives in `conversationState`. */
export function createRootDialog(conversationState: ConversationState, services: JourneyServices): RootDialog {
  const session = conversationState.createProperty<Session>('tribeSession');
  return new RootDialog(services, session, {
    entitlements: { dialog: new EntitlementsDialog(services), needsConsent: false },
    housing: { dialog: new HousingDialog(services), needsConsent: true },
    'work-learning': { dialog: new WorkLearningDialog(services), needsConsent: true },
    'check-in': { dialog: new CheckInDialog(services), needsConsent: true },
    people: { dialog: new PeopleDialog(services), needsConsent: true },
  });
}

/** Builds the bot with every journey. */
export function createTribeBot(conversationState: ConversationState, userState: UserState, services: JourneyServices): TribeBot {
  return new TribeBot(conversationState, userState, createRootDialog(conversationState, services), (context) =>
    answerFileConsent(context, services),
  );
}

export interface JourneyWiring {
  store: DocumentStore;
  clock: Clock;
  catalog: ContentCatalog;
  answerQuestion(question: string): Promise<Answer>;
  escalations: EscalationDeps;
  inviteCodes: Pick<InviteCodes, 'redeemInviteCode'>;
  councils?: CouncilDirectory;
  profiles?: ProfileRepository;
  /** Download links and Teams uploads for export my data (default: no links, real uploads). */
  exportDelivery?: Partial<ExportDelivery>;
  /** Personal data held outside the journeys (the safety gate's recent messages, in memory). */
  otherPersonalData?: readonly PersonalDataHolder[];
}

/**
 * Builds the journeys' services over one store. Fails loudly (at start-up) when a template the
 * journeys say, or a goal plan's step or entitlement, cannot be served.
 */
export function createJourneyServices(wiring: JourneyWiring): JourneyServices {
  const { store, clock, catalog } = wiring;
  const texts = requireTemplates(catalog, dialogTemplates);
  const planProblems = goalPlanProblems((id) => catalog.get(id) !== undefined);
  if (planProblems.length) throw new MissingTemplatesError(planProblems);

  const profiles = wiring.profiles ?? new ProfileRepository(store, clock);
  const statuses = new EntitlementStatuses(store, clock);
  const goals = new Goals(store, clock);
  const checkIns = new CheckIns(store, clock);
  const people = new TrustedPeople(store, clock);
  const tracker = new EntitlementTracker({
    entitlements: () => catalog.list('entitlement').filter((item) => item.audience.includes('care-leaver')),
    statuses,
    goalPlans: async (userKey) => (await goals.list(userKey)).map((goal) => goal.planId),
    clock,
  });
  // The profile goes last, so a deletion that fails part-way can simply run again. Concerns: a
  // resolved one goes; an open one keeps no words and no link to the young person (the notice says so).
  const privacy = new PrivacyService(
    [
      ...(wiring.otherPersonalData ?? []),
      statuses,
      goals,
      checkIns,
      people,
      reminderDataHolder(store),
      escalationDataHolder(store, clock),
      profileDataHolder(profiles),
    ],
    clock,
    new ExportHandoffs(store, clock),
  );
  const pa = createPaContact({
    escalations: wiring.escalations,
    inviteCodes: wiring.inviteCodes,
    profiles,
    render: (id, params) => catalog.render(id, params),
  });
  return {
    texts,
    catalog,
    answerQuestion: wiring.answerQuestion,
    profiles,
    councils: wiring.councils ?? loadCouncils(),
    tracker,
    goals,
    checkIns,
    people,
    privacy,
    exportDelivery: { ...defaultExportDelivery, ...wiring.exportDelivery },
    pa,
    clock,
  };
}
