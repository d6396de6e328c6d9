import { type Activity, ActionTypes, InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import {
  type Choice,
  ChoiceFactory,
  ChoicePrompt,
  type DialogContext,
  type DialogEvent,
  type DialogInstance,
  type DialogTurnResult,
  findChoices,
  type FoundChoice,
  ListStyle,
  PromptCultureModels,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidatorContext,
} from 'botbuilder-dialogs';
import { adaptiveCard, buttonRows, cardActivity, multiSelectCard, numberedList, submittedPicks, textBlock } from './cards';
import type { DialogTemplates, Texts, TextId } from './journey-services';
import { choiceStyle, pickedNumbers, simplify, simplifyLabel, supportsCards } from './turn';

/** Template ids that take no params. */
export type NoParamId = { [K in TextId]: keyof DialogTemplates[K] extends never ? K : never }[TextId];

/** Sending moderated words, and building prompts whose words and button labels are moderated too. */

/** Sends already-rendered moderated words as Markdown, with optional button labels. */
export async function reply(context: TurnContext, text: string, suggestions: readonly string[] = []): Promise<void> {
  await context.sendActivity(markdown(text, suggestions));
}

/** Sends a template that takes no params, with its own suggestions as buttons. */
export async function sayTemplate(context: TurnContext, texts: Texts, id: NoParamId): Promise<void> {
  await reply(context, (texts.render as (id: string) => string)(id), texts.suggestions(id));
}

/** A Markdown message from rendered (moderated) words. */
export function markdown(text: string, suggestions: readonly string[] = []): Partial<Activity> {
  const activity = suggestions.length ? MessageFactory.suggestedActions([...suggestions], text) : MessageFactory.text(text);
  activity.textFormat = 'markdown';
  return activity;
}

export interface ChoiceSpec {
  value: string;
  label: string;
  /** Other ways of saying it (recognition only). */
  synonyms?: readonly string[];
}

/** Choices whose labels are the template's suggestions, in order, paired with `values`. */
export function suggestionChoices(texts: Texts, id: TextId, values: readonly string[], synonyms: Record<string, readonly string[]> = {}): ChoiceSpec[] {
  const labels = texts.suggestions(id);
  if (labels.length !== values.length) {
    throw new Error(`template ${id} has ${labels.length} suggestions; the dialog expects ${values.length}`);
  }
  return values.map((value, index) => ({ value, label: labels[index]!, synonyms: synonyms[value] ?? [] }));
}

function toChoice(spec: ChoiceSpec): Choice {
  return {
    value: spec.value,
    action: { type: ActionTypes.ImBack, title: spec.label, value: spec.label },
    synonyms: [spec.value, `choice:${spec.value}`, ...(spec.synonyms ?? [])],
  };
}

/**
 * Options for a ChoicePrompt: the prompt's text without its own suggestions (the choices are the
 * buttons), shown as suggested actions, a Teams card of buttons, or a numbered list, by channel.
 * Only the words and the choices are kept in dialog state (see `SavedChoicePrompt`), so these
 * options are for a `TribeChoicePrompt` (or `NumberedChoicePrompt`), which makes the rest again.
 */
export function choicePrompt(context: TurnContext, promptText: string, choices: readonly ChoiceSpec[], retryText: string): PromptOptions {
  const teams = context.activity.channelId === 'msteams';
  return choiceOptions({
    prompt: promptText,
    retry: retryText,
    choices: choices.map((choice) => (choice.synonyms?.length ? [choice.value, choice.label, choice.synonyms] : [choice.value, choice.label])),
    style: teams ? ListStyle.none : choiceStyle(context),
    ...(teams ? { card: true as const } : {}),
  });
}

/**
 * A choice prompt as dialog state keeps it: its words and choices, from which `choiceOptions`
 * makes the rest again (the Teams cards, each choice's button and synonyms). Prompt options are
 * most of a conversation's state while a question waits, and the state is read, compared and
 * written on every message; kept whole, a Teams question was a few kilobytes of card.
 */
interface SavedChoicePrompt {
  prompt: string;
  retry: string;
  /** `[value, label]`, or `[value, label, synonyms]` (other ways of saying it). */
  choices: Array<[string, string] | [string, string, readonly string[]]>;
  style: ListStyle;
  /** Shown on an Adaptive Card of buttons (Teams). */
  card?: true;
}

const SAVED_KEY = 'tribeChoicePrompt';

function teamsButtons(text: string, choices: readonly ChoiceSpec[]): Partial<Activity> {
  // Teams: an Adaptive Card whose buttons post their label (ChoiceFactory's hero card would show values).
  return cardActivity(
    adaptiveCard(
      [textBlock(text), ...buttonRows(choices.map((choice) => ({ title: choice.label, token: `choice:${choice.value}` })), 3)],
      `${text}\n\n${numberedList(choices.map((choice) => choice.label))}`,
    ),
  );
}

/** The options a ChoicePrompt needs, from what dialog state keeps; saved again as that (`toJSON`). */
function choiceOptions(saved: SavedChoicePrompt): PromptOptions {
  const specs: ChoiceSpec[] = saved.choices.map(([value, label, synonyms]) => ({ value, label, ...(synonyms ? { synonyms } : {}) }));
  return {
    prompt: saved.card ? teamsButtons(saved.prompt, specs) : saved.prompt,
    retryPrompt: saved.card ? teamsButtons(saved.retry, specs) : saved.retry,
    choices: specs.map(toChoice),
    style: saved.style,
    // Prompt.beginDialog copies the options' own fields, this one too.
    toJSON: () => ({ [SAVED_KEY]: saved }),
  } as PromptOptions;
}

/**
 * A prompt's options as a ChoicePrompt uses them, whether this turn made them or they were read
 * back from dialog state (where only `SavedChoicePrompt` is kept). Anything else is left as it is.
 */
export function restoredOptions(options: PromptOptions | undefined): PromptOptions | undefined {
  const saved = (options as Record<string, unknown> | undefined)?.[SAVED_KEY] as SavedChoicePrompt | undefined;
  if (!saved) return options;
  const restored = choiceOptions(saved);
  // As Prompt.beginDialog left them when the question was first asked.
  for (const activity of [restored.prompt, restored.retryPrompt]) {
    if (activity && typeof activity === 'object' && typeof activity.inputHint !== 'string') activity.inputHint = InputHints.ExpectingInput;
  }
  return restored;
}

/** Restores a waiting prompt's options in its state (see `restoredOptions`). */
function restoreIn(instance: DialogInstance | undefined): void {
  const state = instance?.state as { options?: PromptOptions } | undefined;
  if (state?.options) state.options = restoredOptions(state.options);
}

/**
 * A ChoicePrompt whose options come back from dialog state before it reads them: when a message
 * answers it, when it asks again, and when an event reaches it.
 */
export class TribeChoicePrompt extends ChoicePrompt {
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    restoreIn(dc.activeDialog);
    return super.continueDialog(dc);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    restoreIn(instance);
    return super.repromptDialog(context, instance);
  }

  protected override async onPreBubbleEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
    restoreIn(dc.activeDialog);
    return super.onPreBubbleEvent(dc, event);
  }
}

export interface MultiSelect {
  /** The question on a card (tick boxes and a Done button). */
  cardQuestion: string;
  /** The question in a text-only chat (type the numbers). */
  textQuestion: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  noneLabel: string;
  doneLabel: string;
  /** The card's submit token, e.g. `submit:situations`. */
  token: string;
}

/** A "pick all that fit" question: ticks on a card, numbers in a text-only chat. */
export function multiSelectPrompt(context: TurnContext, spec: MultiSelect): PromptOptions {
  const labels = [...spec.options.map((option) => option.label), spec.noneLabel];
  const textVersion = `${spec.textQuestion}\n\n${numberedList(labels)}`;
  if (!supportsCards(context)) return { prompt: markdown(textVersion) };
  return { prompt: cardActivity(multiSelectCard(spec.cardQuestion, spec.options.map((o) => ({ title: o.label, value: o.value })), spec.doneLabel, spec.token, textVersion)) };
}

/** What was picked: from a card submit, typed numbers, "none", or the labels typed out; null when unclear. */
export function picksFrom(context: TurnContext, spec: Pick<MultiSelect, 'options' | 'noneLabel'>): string[] | null {
  const values = spec.options.map((option) => option.value);
  const picks = submittedPicks(context.activity);
  if (picks) return values.filter((value) => picks.includes(value));
  const text = context.activity.text ?? '';
  const simple = simplify(text);
  if ([simplifyLabel(spec.noneLabel), 'none', 'nothing', 'neither', 'no'].includes(simple)) return [];
  const numbers = pickedNumbers(text, values.length + 1);
  if (numbers) return numbers.includes(values.length + 1) ? [] : numbers.map((n) => values[n - 1]!);
  const byLabel = spec.options.filter((option) => simple.includes(simplifyLabel(option.label))).map((option) => option.value);
  return byLabel.length ? byLabel : null;
}

/**
 * The choice a whole message names exactly (a label, a value, a synonym, or its number), if any.
 * Used where a loose match would be wrong: consent and other yes/no questions must not be
 * answered "yes" by "is it OK to skip this?".
 */
export function exactChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const simple = simplify(text);
  if (/^\d+$/.test(simple)) return choices[Number(simple) - 1];
  return choices.find((choice) =>
    [choice.value, choice.action?.title, ...(choice.synonyms ?? [])].some((name) => typeof name === 'string' && simplifyLabel(name) === simple),
  );
}

/** A ChoicePrompt validator that accepts only exact answers (see `exactChoice`). */
export async function exactAnswerOnly(prompt: PromptValidatorContext<FoundChoice>): Promise<boolean> {
  const choices = (prompt.options.choices ?? []) as Choice[];
  const text = prompt.context.activity.text ?? '';
  const found = exactChoice(text, choices);
  if (!found || !prompt.recognized.succeeded) return false;
  return prompt.recognized.value?.value === found.value;
}

/**
 * Typed digits ("2") recognised exactly as botbuilder's ChoicePrompt does, without its slow path.
 * ChoicePrompt searches the choices' words first; when nothing matches it runs Microsoft's ordinal
 * and then number recognisers (about 0.1 ms), and a number n picks the n-th choice (one out of
 * range picks nothing). For an English message of one to five ASCII digits and nothing else, those
 * recognisers are known to find no ordinal and exactly that one number (checked for every such
 * string; `test/dialogs/units/numbered-choice-prompt.test.ts` re-checks them), so the n-th choice
 * is taken directly, with the same result: `{ value, index, score: 1 }` or no match. The word
 * search still runs first, so a choice that names the digits itself wins as before. Anything
 * else (other text, other languages, recogniser options) goes to ChoicePrompt unchanged.
 *
 * (Adding the digits to the choices as synonyms would not do: the word search finds a synonym
 * anywhere in a message, so "1,000" would pick choice 1 and "the second one, or 3" choice 3, where
 * ChoicePrompt picks nothing and choice 2, and the result would carry a synonym and another score.)
 */
export class NumberedChoicePrompt extends TribeChoicePrompt {
  protected override async onRecognize(context: TurnContext, state: unknown, options: PromptOptions): Promise<PromptRecognizerResult<FoundChoice>> {
    const utterance = context.activity.text;
    if (typeof utterance !== 'string' || !BARE_DIGITS.test(utterance) || this.recognizerOptions !== undefined || !this.isEnglish(context)) {
      return super.onRecognize(context, state, options);
    }
    const choices = (this.style === ListStyle.suggestedAction ? ChoiceFactory.toChoices(options.choices ?? []) : options.choices) ?? [];
    const list = choices.map((choice) => (typeof choice === 'string' ? { value: choice } : choice)).filter((choice) => choice);
    const found = findChoices(utterance, list, { locale: PromptCultureModels.English.locale });
    if (found.length > 0) return { succeeded: true, value: found[0]!.resolution };
    const index = Number(utterance) - 1;
    if (index < 0 || index >= list.length) return { succeeded: false };
    return { succeeded: true, value: { value: list[index]!.value, index, score: 1 } };
  }

  /** The culture ChoicePrompt would recognise in (its fallback for unknown ones goes the slow way). */
  private isEnglish(context: TurnContext): boolean {
    const english = PromptCultureModels.English.locale;
    return PromptCultureModels.mapToNearestLanguage(context.activity.locale || this.defaultLocale || english) === english;
  }
}

/** One to five ASCII digits and nothing else (the strings the recognisers were checked on). */
const BARE_DIGITS = /^[0-9]{1,5}$/;
