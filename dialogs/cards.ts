import { type Activity, CardFactory, MessageFactory } from 'botbuilder';

/**
 * Adaptive Cards 1.5 for Teams and Web Chat. Every card carries `fallbackText`, and every journey
 * has a plain-text path for channels without cards. Buttons submit `{ tribeAction }` tokens (see
 * `turn.ts`); in Teams the simple ones post their label instead, as a message the young person sees.
 */
export type CardElement = Record<string, unknown>;

export interface Button {
  title: string;
  token: string;
  /** More submit data, such as which card the button is on (ids only, never words). */
  data?: Record<string, string>;
}

export function textBlock(text: string, options: { weight?: 'Bolder'; size?: 'Medium' | 'Small'; isSubtle?: boolean; spacing?: string } = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function submit(button: Button): CardElement {
  return {
    type: 'Action.Submit',
    title: button.title,
    data: { ...button.data, tribeAction: button.token, msteams: { type: 'imBack', value: button.title } },
  };
}

/** Rows of at most four buttons (Teams shows at most six in one set). */
export function buttonRows(buttons: readonly Button[], perRow = 4): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < buttons.length; i += perRow) {
    rows.push({ type: 'ActionSet', actions: buttons.slice(i, i + perRow).map(submit) });
  }
  return rows;
}

export function showCard(title: string, body: CardElement[]): CardElement {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body } };
}

export function adaptiveCard(body: CardElement[], fallbackText: string, actions: CardElement[] = []): CardElement {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText,
    body,
    ...(actions.length ? { actions } : {}),
  };
}

/** A multi-select question: ticks plus one submit button; the picks arrive as `value.picks`. */
export function multiSelectCard(
  question: string,
  choices: ReadonlyArray<{ title: string; value: string }>,
  submitTitle: string,
  token: string,
  fallbackText: string,
): CardElement {
  return adaptiveCard(
    [
      textBlock(question),
      { type: 'Input.ChoiceSet', id: 'picks', isMultiSelect: true, style: 'expanded', choices: choices.map((c) => ({ ...c })) },
    ],
    fallbackText,
    [{ type: 'Action.Submit', title: submitTitle, data: { tribeAction: token } }],
  );
}

export function cardActivity(card: CardElement): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/** The picks of a multi-select card submit, when the activity is one. */
export function submittedPicks(activity: Partial<Activity>): string[] | undefined {
  const value = activity.value as { picks?: unknown } | undefined;
  if (!value || typeof value !== 'object' || !('picks' in value)) return undefined;
  const picks = value.picks;
  if (typeof picks !== 'string') return [];
  return picks
    .split(',')
    .map((pick) => pick.trim())
    .filter(Boolean);
}

/** A numbered list for text-only channels. */
export function numberedList(lines: readonly string[]): string {
  return lines.map((line, index) => `${index + 1}. ${line}`).join('\n');
}
