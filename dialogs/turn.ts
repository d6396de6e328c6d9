import { type Activity, type TurnContext, TurnContext as TurnContextClass } from 'botbuilder';
import { ListStyle } from 'botbuilder-dialogs';
import type { StoredReference } from '../services/messaging/messenger';
import { userKeyOf } from '../services/profiles/profile';

/** Helpers every journey uses: who is talking, what they sent, and what the channel can show. */

/** The stable user key for profiles and everything keyed by the young person. */
export function userKey(context: TurnContext): string {
  return userKeyOf(context.activity.channelId, context.activity.from.id);
}

/** The conversation, as the safety gate and escalations key it. */
export function conversationKey(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.conversation.id}`;
}

/** Where proactive reminders go: ids only, never names. */
export function storedReference(context: TurnContext): StoredReference {
  const reference = TurnContextClass.getConversationReference(context.activity);
  return {
    channelId: reference.channelId!,
    serviceUrl: reference.serviceUrl!,
    conversation: {
      id: reference.conversation!.id,
      ...(reference.conversation?.tenantId ? { tenantId: reference.conversation.tenantId } : {}),
      ...(reference.conversation?.conversationType ? { conversationType: reference.conversation.conversationType } : {}),
    },
    ...(reference.bot?.id ? { bot: { id: reference.bot.id } } : {}),
    ...(reference.user?.id ? { user: { id: reference.user.id } } : {}),
    ...(reference.locale ? { locale: reference.locale } : {}),
  };
}

/**
 * Buttons on our Adaptive Cards submit `{ tribeAction: "<token>" }` (Web Chat sends it as the
 * activity's value, with no text). The token becomes the turn's text, so prompts and commands
 * read one thing. Tokens are a closed, checked shape: a submitted value can never smuggle
 * free text past the safety screen, which has already run on the (empty) text.
 */
const ACTION_TOKEN = /^[a-z][a-z0-9-]*(?::[a-z0-9][a-z0-9.-]*){0,3}$/;

export function actionToken(activity: Partial<Activity>): string | undefined {
  const value = activity.value as { tribeAction?: unknown } | undefined;
  const token = value && typeof value === 'object' ? value.tribeAction : undefined;
  return typeof token === 'string' && token.length <= 120 && ACTION_TOKEN.test(token) ? token : undefined;
}

/** Sets the text of a card submit to its action token; returns the text of the turn (trimmed). */
export function normaliseInput(context: TurnContext): string {
  const activity = context.activity;
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (text) return text;
  const token = actionToken(activity);
  if (token) {
    activity.text = token;
    return token;
  }
  return '';
}

/** Lower case, curly quotes straightened, punctuation and extra spaces dropped. */
export function simplify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `simplify` for the bot's own words (labels, synonyms, command phrases), which recognisers
 * simplify about 20 times a turn: cached, bounded. Never used for what a young person types, so
 * nothing they say is kept in memory.
 */
const SIMPLIFIED_LABELS_LIMIT = 2000;
const simplifiedLabels = new Map<string, string>();

export function simplifyLabel(label: string): string {
  const known = simplifiedLabels.get(label);
  if (known !== undefined) return known;
  const simple = simplify(label);
  if (simplifiedLabels.size >= SIMPLIFIED_LABELS_LIMIT) simplifiedLabels.clear();
  simplifiedLabels.set(label, simple);
  return simple;
}

/** Channels that render Adaptive Cards 1.5. Anything else gets plain text. */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export function supportsCards(context: TurnContext): boolean {
  return CARD_CHANNELS.has(context.activity.channelId);
}

/** Suggested actions where the channel has them, a card of buttons in Teams, a numbered list elsewhere. */
export function choiceStyle(context: TurnContext): ListStyle {
  switch (context.activity.channelId) {
    case 'webchat':
    case 'directline':
    case 'emulator':
      return ListStyle.suggestedAction;
    case 'msteams':
      return ListStyle.heroCard;
    default:
      return ListStyle.list;
  }
}

/** Numbers a young person typed for a multi-choice question: "1 and 3", "1, 3", "2". */
export function pickedNumbers(text: string, max: number): number[] | null {
  const numbers = [...text.matchAll(/\d+/g)].map((match) => Number(match[0]));
  if (numbers.length === 0) return null;
  if (numbers.some((n) => n < 1 || n > max)) return null;
  return [...new Set(numbers)].sort((a, b) => a - b);
}
