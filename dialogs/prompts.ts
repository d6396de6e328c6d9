import { type Activity, ActionTypes, MessageFactory, type TurnContext } from 'botbuilder';
import {
  type Choice,
  ChoiceFactory,
  ChoicePrompt,
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
 */
export function choicePrompt(context: TurnContext, promptText: string, choices: readonly ChoiceSpec[], retryText: string): PromptOptions {
  if (context.activity.channelId === 'msteams') {
    // Teams: an Adaptive Card whose buttons post their label (ChoiceFactory's hero card would show values).
    const buttons = (text: string) =>
      cardActivity(
        adaptiveCard(
          [textBlock(text), ...buttonRows(choices.map((choice) => ({ title: choice.label, token: `choice:${choice.value}` })), 3)],
          `${text}\n\n${numberedList(choices.map((choice) => choice.label))}`,
        ),
      );
    return { prompt: buttons(promptText), retryPrompt: buttons(retryText), choices: choices.map(toChoice), style: ListStyle.none };
  }
  return {
    prompt: promptText,
    retryPrompt: retryText,
    choices: choices.map(toChoice),
    style: choiceStyle(context),
  };
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
export class NumberedChoicePrompt extends ChoicePrompt {
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
