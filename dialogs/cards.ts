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

/**
 * Elements folded away behind a "show" button, with a "hide" button once open (Adaptive Cards
 * `Action.ToggleVisibility`: no message is sent, the card just opens). The ids must be unique
 * within the card. A channel without cards never sees this: it gets the card's fallback text.
 */
export function collapsible(spec: { ids: { settled: string; show: string; hide: string }; showTitle: string; hideTitle: string; items: CardElement[] }): CardElement[] {
  const { settled, show, hide } = spec.ids;
  const toggle = (title: string): CardElement => toggleAction(title, [settled, show, hide]);
  return [
    { type: 'ActionSet', id: show, separator: true, actions: [toggle(spec.showTitle)] },
    { type: 'Container', id: settled, isVisible: false, items: spec.items },
    { type: 'ActionSet', id: hide, isVisible: false, actions: [toggle(spec.hideTitle)] },
  ];
}

/** A button that opens or closes parts of the card in place (no message is sent). */
export function toggleAction(title: string, targetElements: readonly string[]): CardElement {
  return { type: 'Action.ToggleVisibility', title, targetElements: [...targetElements] };
}

/** Buttons side by side in one row, whatever the host's button layout (it saves height on a phone). */
export function actionsInRow(actions: readonly CardElement[]): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: actions.map((action) => ({ type: 'Column', width: 'stretch', items: [{ type: 'ActionSet', actions: [action] }] })),
  };
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
