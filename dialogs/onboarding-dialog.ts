import type { TurnContext } from 'botbuilder';
import {
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import { parseBirth } from '../services/profiles/age';
import type { CouncilMatch } from '../services/profiles/councils';
import { HOMELESS_HOMES, HOMES, SITUATIONS, type Home, type Situation } from '../services/profiles/profile';
import type { JourneyServices, TextId } from './journey-services';
import { sendMenu } from './menu';
import { choicePrompt, markdown, multiSelectPrompt, NumberedChoicePrompt, picksFrom, reply, sayTemplate, suggestionChoices, exactAnswerOnly } from './prompts';
import { rememberProfile, refreshReference, sessionOf, type SessionAccessor } from './session';
import { safetyOf } from './safety';
import { conversationKey, simplify, supportsCards, userKey } from './turn';

/**
 * First contact and onboarding, in six answers at most: consent, name, age, council, what they
 * are doing, where they live. Each answer is saved as it is given (only after consent), so a
 * restart of the service loses nothing and the dialog resumes where it was.
 */
export const ONBOARDING_DIALOG = 'onboarding';
export const CONSENT_VERSION = 'privacy-notice-2026-11';

/** How the dialog opens: the full welcome, after answering a first question, or just the notice. */
export interface OnboardingOptions {
  intro?: 'welcome' | 'after-answer' | 'notice-only';
}

const IDS = {
  steps: 'onboarding.steps',
  consent: 'onboarding.consent',
  name: 'onboarding.name#free',
  age: 'onboarding.age#free',
  council: 'onboarding.council#free',
  councilPick: 'onboarding.council-pick',
  situation: 'onboarding.situation#multi',
  home: 'onboarding.home#home',
};

const SKIP_WORDS = ['skip', 'not sure', 'dont know', "don't know", 'no idea', 'rather not say'];
const NAME_PREFIX = /^(?:you can call me|call me|i'm|im|i am|my name is|my name's|its|it's|name's|names)\s+/i;
const NAME = /^[\p{L}][\p{L}\p{M} '’.-]{0,39}$/u;

/** The name they typed, without "call me" and the like; null when it is not a usable name. */
export function preferredNameFrom(text: string): string | null {
  const name = text.trim().replace(NAME_PREFIX, '').replace(/[.!]+$/, '').trim();
  return NAME.test(name) ? name : null;
}

export function homeLabelId(home: Home): TextId {
  return `journeys.home.${home}` as TextId;
}

export function situationLabelId(situation: Situation): TextId {
  return `journeys.situation.${situation}` as TextId;
}

/** Yes/no recognition data for consent-style questions. */
export const YES_NO_SYNONYMS: Record<string, readonly string[]> = {
  yes: ['yes', 'y', 'yeah', 'yep', 'yup', 'ok', 'okay', 'sure', 'fine', 'go on', 'alright', 'yes please', 'thats ok', 'that is ok'],
  no: ['no', 'n', 'nope', 'nah', 'no thanks', 'later', 'maybe later', 'not now', 'not yet'],
};

export class OnboardingDialog extends JourneyDialog {
  constructor(
    private readonly services: JourneyServices,
    private readonly session: SessionAccessor,
  ) {
    super(ONBOARDING_DIALOG);
    const { texts } = services;

    this.addDialog(new NumberedChoicePrompt(IDS.consent, exactAnswerOnly));
    this.addDialog(
      new TextPrompt(IDS.name, async (prompt) => {
        const text = prompt.recognized.value ?? '';
        if (this.isSkip(text) || preferredNameFrom(text)) return true;
        await reply(prompt.context, texts.render('journeys.onboarding.name-retry'), [texts.render('journeys.label.skip')]);
        return false;
      }),
    );
    this.addDialog(
      new TextPrompt(IDS.age, async (prompt) => {
        const text = prompt.recognized.value ?? '';
        if (this.isSkip(text)) return true;
        const parsed = parseBirth(text, this.services.tracker.today());
        if (parsed.ok) return true;
        const id = parsed.problem === 'too-young' ? 'journeys.onboarding.age-too-young' : parsed.problem === 'too-old' ? 'journeys.onboarding.age-too-old' : 'journeys.onboarding.age-unclear';
        await reply(prompt.context, texts.render(id), [texts.render('journeys.label.skip')]);
        return false;
      }),
    );
    this.addDialog(
      new TextPrompt(IDS.council, async (prompt) => {
        const text = prompt.recognized.value ?? '';
        if (this.isSkip(text) || this.services.councils.find(text).kind !== 'none') return true;
        await reply(prompt.context, texts.render('journeys.onboarding.council-unknown'), [texts.render('journeys.label.not-sure')]);
        return false;
      }),
    );
    this.addDialog(new NumberedChoicePrompt(IDS.councilPick));
    this.addDialog(
      new TextPrompt(IDS.situation, async (prompt) => {
        if (this.situationsFrom(prompt.context) !== null) return true;
        await reply(prompt.context, texts.render('journeys.onboarding.situation-retry'));
        return false;
      }),
    );
    this.addDialog(new NumberedChoicePrompt(IDS.home));

    this.addDialog(
      new WaterfallDialog(IDS.steps, [
        this.askConsent.bind(this),
        this.askName.bind(this),
        this.askAge.bind(this),
        this.askCouncil.bind(this),
        this.pickCouncil.bind(this),
        this.askSituation.bind(this),
        this.askHome.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.initialDialogId = IDS.steps;
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts } = this.services;
    const intro = (step.options as OnboardingOptions | undefined)?.intro ?? 'welcome';
    if (intro === 'welcome') await sayTemplate(step.context, texts, 'welcome');
    if (intro === 'after-answer') await sayTemplate(step.context, texts, 'journeys.onboarding.offer');
    await reply(step.context, texts.render('notice.privacy'));
    const choices = suggestionChoices(texts, 'journeys.onboarding.consent', ['yes', 'no'], YES_NO_SYNONYMS);
    return step.prompt(
      IDS.consent,
      choicePrompt(step.context, texts.render('journeys.onboarding.consent'), choices, texts.render('journeys.onboarding.consent-retry')),
    );
  }

  private async askName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts, profiles } = this.services;
    if ((step.result as FoundChoice).value !== 'yes') {
      const session = await sessionOf(step.context, this.session);
      session.consentDeclined = true;
      await sayTemplate(step.context, texts, 'journeys.onboarding.declined');
      return step.endDialog();
    }
    const profile = await profiles.giveConsent(userKey(step.context), CONSENT_VERSION);
    (await sessionOf(step.context, this.session)).consentDeclined = false;
    rememberProfile(step.context, profile);
    await refreshReference(step.context, this.services, profile);
    return step.prompt(IDS.name, { prompt: this.withSkip(step.context, texts.render('journeys.onboarding.ask-name'), 'journeys.label.skip') });
  }

  private async askAge(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts } = this.services;
    const name = preferredNameFrom(String(step.result ?? ''));
    if (name && !this.isSkip(String(step.result))) {
      rememberProfile(step.context, await this.services.profiles.update(userKey(step.context), { preferredName: name }));
      await reply(step.context, texts.render('journeys.onboarding.nice-to-meet', { name }));
    }
    return step.prompt(IDS.age, { prompt: this.withSkip(step.context, texts.render('journeys.onboarding.ask-age'), 'journeys.label.skip') });
  }

  private async askCouncil(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const parsed = parseBirth(String(step.result ?? ''), this.services.tracker.today());
    if (parsed.ok) rememberProfile(step.context, await this.services.profiles.update(userKey(step.context), { birth: parsed.birth }));
    return step.prompt(IDS.council, {
      prompt: this.withSkip(step.context, this.services.texts.render('journeys.onboarding.ask-council'), 'journeys.label.not-sure'),
    });
  }

  private async pickCouncil(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    const match: CouncilMatch = this.isSkip(text) ? { kind: 'none' } : this.services.councils.find(text);
    if (match.kind === 'match') {
      rememberProfile(step.context, await this.services.profiles.update(userKey(step.context), { councilId: match.council.id }));
      return step.next();
    }
    if (match.kind === 'none') return step.next();
    const { texts } = this.services;
    const choices = [
      ...match.councils.map((council) => ({ value: council.id, label: council.name })),
      { value: 'none', label: texts.render('journeys.label.none-of-these') },
    ];
    return step.prompt(
      IDS.councilPick,
      choicePrompt(step.context, texts.render('journeys.onboarding.council-pick'), choices, texts.render('journeys.onboarding.choice-retry')),
    );
  }

  private situationSpec() {
    const { texts } = this.services;
    return {
      cardQuestion: texts.render('journeys.onboarding.ask-situation'),
      textQuestion: texts.render('journeys.onboarding.ask-situation-text'),
      options: SITUATIONS.map((situation) => ({ value: situation, label: texts.render(situationLabelId(situation)) })),
      noneLabel: texts.render('journeys.label.none-of-these'),
      doneLabel: texts.render('journeys.label.done'),
      token: 'submit:situations',
    };
  }

  private async askSituation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked = step.result as FoundChoice | undefined;
    if (picked && picked.value !== 'none' && this.services.councils.get(picked.value)) {
      rememberProfile(step.context, await this.services.profiles.update(userKey(step.context), { councilId: picked.value }));
    }
    return step.prompt(IDS.situation, multiSelectPrompt(step.context, this.situationSpec()));
  }

  /** What they are doing, from a card submit, typed numbers, or the labels; null when unclear. */
  private situationsFrom(context: TurnContext): Situation[] | null {
    return picksFrom(context, this.situationSpec()) as Situation[] | null;
  }

  private async askHome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const situations = this.situationsFrom(step.context) ?? [];
    rememberProfile(step.context, await this.services.profiles.update(userKey(step.context), { situations }));
    return step.prompt(IDS.home, homePrompt(step.context, this.services));
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts, profiles } = this.services;
    const home = (step.result as FoundChoice).value;
    await saveHome(step.context, this.services, home);
    const profile = await profiles.update(userKey(step.context), { onboardedAt: this.services.clock.now().toISOString() });
    rememberProfile(step.context, profile);
    (await sessionOf(step.context, this.session)).welcomed = true;
    // After homelessness support, that is the last word of this turn; the menu can wait.
    if (!HOMELESS_HOMES.has(home as Home)) {
      await reply(
        step.context,
        profile.preferredName ? texts.render('journeys.onboarding.done-named', { name: profile.preferredName }) : texts.render('journeys.onboarding.done'),
      );
      await sendMenu(step.context, this.services);
    }
    return step.endDialog();
  }

  /** "Skip", "Not sure" and the like: every onboarding question after consent can be skipped. */
  private isSkip(text: string): boolean {
    const { texts } = this.services;
    const skips = [texts.render('journeys.label.skip'), texts.render('journeys.label.not-sure'), ...SKIP_WORDS].map(simplify);
    return skips.includes(simplify(text));
  }

  private withSkip(context: TurnContext, text: string, labelId: 'journeys.label.skip' | 'journeys.label.not-sure') {
    return supportsCards(context) ? markdown(text, [this.services.texts.render(labelId)]) : markdown(text);
  }
}

/** The "where do you live now" question (onboarding and housing). */
export function homePrompt(context: TurnContext, services: JourneyServices) {
  const { texts } = services;
  const choices = [
    ...HOMES.map((home) => ({ value: home, label: texts.render(homeLabelId(home)) })),
    { value: 'rather-not-say', label: texts.render('journeys.label.rather-not-say') },
  ];
  return choicePrompt(context, texts.render('journeys.onboarding.ask-home'), choices, texts.render('journeys.onboarding.choice-retry'));
}

/**
 * Saves where they live. Sofa-surfing and nowhere are homelessness: unless the safety gate
 * already raised it this turn, the journey raises it (owned by their PA or the duty team) and
 * shows the homelessness support, before anything else is said.
 */
export async function saveHome(context: TurnContext, services: JourneyServices, value: string): Promise<void> {
  if (!(HOMES as readonly string[]).includes(value)) return;
  const home = value as Home;
  rememberProfile(context, await services.profiles.update(userKey(context), { home }));
  if (!HOMELESS_HOMES.has(home)) return;
  const safety = safetyOf(context);
  if (safety?.replied && safety.result.category === 'homelessness') return;
  await services.pa.reportHomelessness({ userKey: userKey(context), conversationKey: conversationKey(context) });
  await reply(context, services.texts.render('safety.high.homelessness'));
}
