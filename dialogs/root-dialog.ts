import { ActivityTypes, type TurnContext } from 'botbuilder';
import {
  type Choice,
  ComponentDialog,
  Dialog,
  DialogContainer,
  type DialogContext,
  type DialogInstance,
  type DialogSet,
  type DialogState,
  type DialogTurnResult,
  DialogTurnStatus,
  type FoundChoice,
  type PromptOptions,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { inviteCodeSchema } from '../services/advisers/invite-codes';
import { trustedInviteCodeSchema } from '../services/people/trusted-people';
import { flattenJourneyStack, type JourneyDialog } from './journey-dialog';
import { isGreeting, looksLikeQuestion, type GlobalCommand, type MenuItem, recogniseCommand, recogniseMenuItem } from './commands';
import type { JourneyServices } from './journey-services';
import { sendMenu } from './menu';
import { ONBOARDING_DIALOG, OnboardingDialog, type OnboardingOptions, YES_NO_SYNONYMS } from './onboarding-dialog';
import { PRIVACY_DIALOG, PrivacyDialog, type PrivacyOptions, sendExport } from './privacy-dialog';
import { choicePrompt, NumberedChoicePrompt, reply, restoredOptions, sayTemplate, suggestionChoices, exactAnswerOnly, exactChoice } from './prompts';
import { answer, QUESTION_DIALOG, QuestionDialog } from './question-dialog';
import { safetyOf } from './safety';
import { profileOf, refreshReference, rememberProfile, sessionOf, type SessionAccessor } from './session';
import { conversationKey, normaliseInput, userKey } from './turn';

export const ROOT_DIALOG = 'root';

/** How the root dialog was started: by a message (the default) or by a welcome event. */
export interface RootOptions {
  event?: 'welcome';
}

/** A journey behind a menu item, and whether it needs consent (something must be saved). */
export interface Journey {
  dialog: JourneyDialog;
  needsConsent: boolean;
}

const IDS = { route: 'root.route', setupOffer: 'root.setup-offer', setupChoice: 'root.setup-choice' };

/**
 * The deepest active dialog: where the conversation is waiting. It reads the stacks that
 * `DialogContext.child` would wrap (a component keeps its own stack in its state, under
 * `dialogs`), without building a child context, and its memory, for each level on every message.
 * A container of another kind is walked through `child`, as before.
 */
function leafOf(dc: DialogContext): DialogInstance | undefined {
  const active = dc.activeDialog;
  if (!active) return undefined;
  let instance: DialogInstance = active;
  const sets: DialogSet[] = [];
  for (let level: DialogContext | undefined = dc; level; level = level.parent) sets.push(level.dialogs);
  for (;;) {
    const dialog = findIn(sets, instance.id);
    if (!(dialog instanceof DialogContainer)) return instance;
    if (!(dialog instanceof ComponentDialog)) return leafByContexts(dc);
    const stack: DialogInstance[] | undefined = (instance.state as { dialogs?: Partial<DialogState> } | undefined)?.dialogs?.dialogStack;
    const inner: DialogInstance | undefined = Array.isArray(stack) && stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (!inner) return instance;
    sets.unshift(dialog.dialogs);
    instance = inner;
  }
}

/** `DialogContext.findDialog`: this level's dialogs first, then its parents'. */
function findIn(sets: readonly DialogSet[], id: string): Dialog | undefined {
  for (const set of sets) {
    const dialog = set.find(id);
    if (dialog) return dialog;
  }
  return undefined;
}

function leafByContexts(dc: DialogContext): DialogInstance | undefined {
  let leaf = dc;
  for (let child = leaf.child; child?.activeDialog; child = child.child) leaf = child;
  return leaf.activeDialog;
}

function waitingOn(dc: DialogContext): string | undefined {
  return leafOf(dc)?.id;
}

/** Does the text name one of the waiting prompt's choices exactly? Then it is an answer, not a question. */
function answersWaitingChoice(dc: DialogContext, text: string): boolean {
  const options = restoredOptions(leafOf(dc)?.state?.options as PromptOptions | undefined);
  return exactChoice(text, (options?.choices ?? []) as Choice[]) !== undefined;
}

/**
 * Entry point of every turn the safety gate lets through. It reads the turn before any journey:
 * - the gate's verdict: after a high concern the journey in progress is set aside; after a medium
 *   one, the gate's question is left as the last word of the turn;
 * - global commands (menu, help, cancel, stop/start reminders, talk to my PA, privacy, export,
 *   delete, set up), which interrupt any journey;
 * - a question asked in the middle of a journey: answered, then the journey resumes where it was;
 * - a PA's invite code, or a trusted adult's.
 * With no journey in progress it routes: menu choices, first contact (answer, then onboarding),
 * greetings, and questions.
 */
export class RootDialog extends ComponentDialog {
  private readonly journeys: Map<MenuItem, Journey>;
  private readonly journeyIds = new Set<string>();

  constructor(
    private readonly services: JourneyServices,
    private readonly session: SessionAccessor,
    journeys: Partial<Record<MenuItem, Journey>> = {},
  ) {
    super(ROOT_DIALOG);
    this.journeys = new Map(Object.entries(journeys) as Array<[MenuItem, Journey]>);
    this.addJourney(new OnboardingDialog(services, session));
    this.addJourney(new PrivacyDialog(services));
    this.addJourney(new QuestionDialog(services));
    for (const journey of this.journeys.values()) this.addJourney(journey.dialog);
    this.addDialog(new NumberedChoicePrompt(IDS.setupChoice, exactAnswerOnly));
    this.addDialog(new WaterfallDialog(IDS.setupOffer, [this.offerSetup.bind(this), this.setupAnswered.bind(this)]));
    this.addDialog(new WaterfallDialog(IDS.route, [this.route.bind(this), async (step) => step.endDialog()]));
    this.initialDialogId = IDS.route;
  }

  /** A journey and its parts, in this dialog's own set (see `JourneyDialog`). */
  private addJourney(journey: JourneyDialog): void {
    for (const dialog of [journey, ...journey.parts]) {
      // DialogSet would rename a clash silently; two dialogs with one id is a mistake here.
      if (this.dialogs.find(dialog.id)) throw new Error(`root dialog: two dialogs have the id ${dialog.id}`);
      this.addDialog(dialog);
    }
    this.journeyIds.add(journey.id);
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    // A conversation saved when journeys were ComponentDialogs carries on in the flat layout.
    const stack = (outerDc.activeDialog?.state as { dialogs?: Partial<DialogState> } | undefined)?.dialogs?.dialogStack;
    if (Array.isArray(stack)) flattenJourneyStack(stack, this.journeyIds);
    return super.continueDialog(outerDc);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: RootOptions): Promise<DialogTurnResult> {
    if (options?.event !== 'welcome') {
      const interrupted = await this.interrupt(innerDc);
      if (interrupted) return interrupted;
    }
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    if (interrupted) return interrupted;
    return super.onContinueDialog(innerDc);
  }

  /** Ends the turn: waiting if a journey is still in progress, complete otherwise. */
  private settle(innerDc: DialogContext): DialogTurnResult {
    return innerDc.activeDialog ? Dialog.EndOfTurn : { status: DialogTurnStatus.complete };
  }

  /** Picks a journey back up after an interruption, or ends the turn when there is none. */
  private async resume(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (!innerDc.activeDialog) return { status: DialogTurnStatus.complete };
    await sayTemplate(innerDc.context, this.services.texts, 'journeys.global.resume');
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const context = innerDc.context;
    if (context.activity.type !== ActivityTypes.Message) return undefined;
    const text = normaliseInput(context);
    const waiting = waitingOn(innerDc);
    const { texts } = this.services;

    const profile = await profileOf(context, this.services);
    if (profile) await refreshReference(context, this.services, profile);

    // 1. The safety gate has replied this turn.
    const safety = safetyOf(context);
    if (safety?.replied) {
      const { severity, category } = safety.result;
      // A journey that asked about this itself carries on: it knows, and saves the answer.
      if (waiting?.endsWith('#home') && category === 'homelessness') return undefined;
      if (waiting?.endsWith('#note') && severity === 'medium') return undefined;
      if (severity === 'high' || severity === 'urgent') {
        if (innerDc.activeDialog) await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.complete };
      }
      return this.settle(innerDc);
    }

    // 2. Nothing to read: a picture, a file, or an empty message.
    if (!text) {
      await sayTemplate(context, texts, 'journeys.global.no-text');
      if (innerDc.activeDialog) await innerDc.repromptDialog();
      return this.settle(innerDc);
    }

    // 3. A global command.
    const command = recogniseCommand(text, texts);
    if (command) return this.command(innerDc, command);

    // 4. A status button on a checklist card, tapped at any time.
    const journeyHandled = await this.globalAction(innerDc, text);
    if (journeyHandled) return journeyHandled;

    // 5. A question in the middle of a journey: answer it, then carry on where we were.
    // (Not while they type a question or a check-in note: those words are theirs.)
    if (waiting && !waiting.endsWith('#ask') && !waiting.endsWith('#note')) {
      const freeText = waiting.endsWith('#free');
      const isQuestion = freeText ? text.endsWith('?') : looksLikeQuestion(text) && !answersWaitingChoice(innerDc, text);
      if (isQuestion) {
        const answered = await answer(context, this.services, text, { fallback: !freeText });
        if (answered || !freeText) return this.resume(innerDc);
      }
    }

    // 6. An invite code: a PA's (links the care leaver) or a trusted adult's (joins a tribe).
    if (!waiting || !(waiting.endsWith('#free') || waiting.endsWith('#note') || waiting.endsWith('#ask'))) {
      const code = text.replace(/\s+/g, '');
      // Both kinds of code are at least eight characters (ABCD-EFGH, ABCD-EFGH-JKMN): a shorter answer such as an age is neither.
      if (code.length >= 8 && (/\d/.test(code) || code.includes('-'))) {
        if (inviteCodeSchema.safeParse(code).success) return this.linkPa(innerDc, code);
        if (trustedInviteCodeSchema.safeParse(code).success) return this.joinTribe(innerDc, code);
      }
    }
    return undefined;
  }

  /** Journeys register tokens they handle at any time (e.g. a checklist status button). */
  private async globalAction(innerDc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
    for (const journey of this.journeys.values()) {
      const handler = (journey.dialog as Partial<GlobalActionHandler>).handleGlobalAction;
      if (handler && (await handler.call(journey.dialog, innerDc.context, text))) {
        if (innerDc.activeDialog) await innerDc.repromptDialog();
        return this.settle(innerDc);
      }
    }
    return undefined;
  }

  private async command(innerDc: DialogContext, command: GlobalCommand): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const { texts, profiles, pa } = this.services;
    const profile = await profileOf(context, this.services);
    switch (command) {
      case 'menu':
        await innerDc.cancelAllDialogs();
        await sendMenu(context, this.services);
        return { status: DialogTurnStatus.complete };
      case 'cancel':
        await innerDc.cancelAllDialogs();
        await sayTemplate(context, texts, 'journeys.global.cancelled');
        return { status: DialogTurnStatus.complete };
      case 'help':
        await sayTemplate(context, texts, 'help');
        if (innerDc.activeDialog) return this.resume(innerDc);
        await sendMenu(context, this.services);
        return { status: DialogTurnStatus.complete };
      case 'stop-reminders':
      case 'start-reminders':
        if (!profile) {
          await sayTemplate(context, texts, 'journeys.global.reminders-no-profile');
        } else {
          const paused = command === 'stop-reminders';
          rememberProfile(context, await profiles.update(profile._id, { remindersPaused: paused }));
          await sayTemplate(context, texts, paused ? 'journeys.global.reminders-stopped' : 'journeys.global.reminders-started');
        }
        return this.resume(innerDc);
      case 'talk-to-pa': {
        const owner = await pa.requestContact({ userKey: userKey(context), conversationKey: conversationKey(context) });
        await sayTemplate(context, texts, owner === 'adviser' ? 'journeys.pa.contact-requested' : 'journeys.pa.contact-requested-duty');
        return this.resume(innerDc);
      }
      case 'export':
        await sendExport(context, this.services);
        return this.resume(innerDc);
      case 'delete':
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(PRIVACY_DIALOG, { start: 'delete' } satisfies PrivacyOptions);
      case 'privacy':
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(PRIVACY_DIALOG);
      case 'set-up':
        await innerDc.cancelAllDialogs();
        if (profile) {
          await sendMenu(context, this.services);
          return { status: DialogTurnStatus.complete };
        }
        return innerDc.beginDialog(ONBOARDING_DIALOG, { intro: 'notice-only' } satisfies OnboardingOptions);
    }
  }

  private async linkPa(innerDc: DialogContext, code: string): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const { texts } = this.services;
    if (!(await profileOf(context, this.services))) {
      await sayTemplate(context, texts, 'journeys.pa.code-needs-setup');
      return this.settle(innerDc);
    }
    const result = await this.services.pa.redeemCode(code, userKey(context));
    if (result.ok) {
      rememberProfile(context, await this.services.profiles.get(userKey(context)));
      await sayTemplate(context, texts, 'journeys.pa.linked');
    } else {
      const id =
        result.reason === 'expired'
          ? 'journeys.pa.code-expired'
          : result.reason === 'used'
            ? 'journeys.pa.code-used'
            : result.reason === 'too-many-attempts'
              ? 'journeys.pa.code-too-many'
              : 'journeys.pa.code-not-found';
      await sayTemplate(context, texts, id);
    }
    if (innerDc.activeDialog) await innerDc.repromptDialog();
    return this.settle(innerDc);
  }

  private async joinTribe(innerDc: DialogContext, code: string): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const { texts } = this.services;
    const result = await this.services.people.redeemInvite(code, userKey(context));
    if (result.ok) {
      const careLeaver = await this.services.profiles.get(result.careLeaverKey);
      await reply(
        context,
        careLeaver?.preferredName
          ? texts.render('journeys.people.adult-joined', { name: careLeaver.preferredName })
          : texts.render('journeys.people.adult-joined-anon'),
      );
    } else {
      await sayTemplate(context, texts, result.reason === 'too-many-attempts' ? 'journeys.pa.code-too-many' : 'journeys.people.adult-code-problem');
    }
    if (innerDc.activeDialog) await innerDc.repromptDialog();
    return this.settle(innerDc);
  }

  /** No journey in progress: what does this message ask for? */
  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const { texts } = this.services;
    const profile = await profileOf(context, this.services);
    const session = await sessionOf(context, this.session);
    const options = step.options as RootOptions | undefined;

    if (options?.event === 'welcome') {
      if (session.welcomed) return step.endDialog();
      session.welcomed = true;
      if (!profile && !session.consentDeclined) return step.beginDialog(ONBOARDING_DIALOG, { intro: 'welcome' } satisfies OnboardingOptions);
      await this.welcomeBack(context, profile?.preferredName);
      return step.endDialog();
    }

    const text = context.activity.text?.trim() ?? '';
    const item = recogniseMenuItem(text, texts, true);
    if (item) return this.startItem(step, item);

    if (!profile && (await this.services.people.isTrustedAdult(userKey(context)))) {
      // A trusted adult who joined someone's tribe: not a care leaver to onboard.
      await sayTemplate(context, texts, 'journeys.people.adult-help');
      return step.endDialog();
    }
    if (!profile && !session.consentDeclined) {
      session.welcomed = true;
      if (text && !isGreeting(text) && (await answer(context, this.services, text, { fallback: false }))) {
        return step.beginDialog(ONBOARDING_DIALOG, { intro: 'after-answer' } satisfies OnboardingOptions);
      }
      return step.beginDialog(ONBOARDING_DIALOG, { intro: 'welcome' } satisfies OnboardingOptions);
    }

    if (!text || isGreeting(text)) {
      await this.welcomeBack(context, profile?.preferredName);
      return step.endDialog();
    }
    await answer(context, this.services, text);
    return step.endDialog();
  }

  private async welcomeBack(context: TurnContext, name: string | undefined): Promise<void> {
    const { texts } = this.services;
    if (name) await sendMenu(context, this.services, texts.render('welcome.back', { name }));
    else {
      await reply(context, texts.render('welcome'));
      await sendMenu(context, this.services);
    }
  }

  private async startItem(step: WaterfallStepContext, item: MenuItem): Promise<DialogTurnResult> {
    const context = step.context;
    switch (item) {
      case 'help':
        await sayTemplate(context, this.services.texts, 'help');
        await sendMenu(context, this.services);
        return step.endDialog();
      case 'privacy':
        return step.beginDialog(PRIVACY_DIALOG);
      case 'question':
        return step.beginDialog(QUESTION_DIALOG);
      default: {
        const journey = this.journeys.get(item);
        if (!journey) {
          await sendMenu(context, this.services);
          return step.endDialog();
        }
        if (journey.needsConsent && !(await profileOf(context, this.services))) return step.beginDialog(IDS.setupOffer);
        return step.beginDialog(journey.dialog.id);
      }
    }
  }

  private async offerSetup(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts } = this.services;
    const choices = suggestionChoices(texts, 'journeys.global.needs-setup', ['yes', 'no'], YES_NO_SYNONYMS);
    return step.prompt(
      IDS.setupChoice,
      choicePrompt(step.context, texts.render('journeys.global.needs-setup'), choices, texts.render('journeys.onboarding.choice-retry')),
    );
  }

  private async setupAnswered(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as FoundChoice).value === 'yes') {
      return step.replaceDialog(ONBOARDING_DIALOG, { intro: 'notice-only' } satisfies OnboardingOptions);
    }
    await sayTemplate(step.context, this.services.texts, 'journeys.global.maybe-later');
    return step.endDialog();
  }
}

/** A journey dialog that handles its own button tokens whenever they arrive (cards stay in the chat). */
export interface GlobalActionHandler {
  handleGlobalAction(context: TurnContext, text: string): Promise<boolean>;
}
