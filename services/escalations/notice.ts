import type { OutboundMessage } from '../messaging/messenger';
import type { TextSource } from './deps';
import type { EscalationDoc } from './escalation';
import { londonDateTime } from './london-time';

/** Template ids (content/templates/escalation-*.md). Their `suggestions` are the card's button titles. */
export const NOTICE_TEMPLATES = {
  first: 'escalation.notice',
  reminder: 'escalation.notice.reminder',
  excerpt: 'escalation.notice.excerpt',
  dutyCover: 'escalation.notice.duty-cover',
} as const;

export const ACKNOWLEDGE_ACTION = 'escalation.acknowledge';

/**
 * The one channel where a card button may act for an adviser: in Teams the Bot Connector
 * authenticates who pressed it. Elsewhere (Web Chat, Direct Line) `from.id` is whatever the client
 * says, so acknowledging goes through the adviser API or console, with the adviser's bearer token.
 */
export const ADVISER_ACTION_CHANNEL = 'msteams';

export type NoticeKind = 'first' | 'reminder';

/**
 * The proactive notice to an adviser: an Adaptive Card 1.5 with a text fallback.
 * The fallback and the card heading carry severity, category, time (Europe/London) and the id;
 * the excerpt appears only inside the card, in a RichTextBlock TextRun (never read as markdown).
 */
export function buildNotice(
  text: TextSource,
  doc: Pick<EscalationDoc, '_id' | 'severity' | 'category' | 'createdAt' | 'excerpt'>,
  options: { kind: NoticeKind; dutyCover: boolean; consoleUrl: string; channelId?: string },
): OutboundMessage {
  const templateId = options.kind === 'first' ? NOTICE_TEMPLATES.first : NOTICE_TEMPLATES.reminder;
  const params = { id: doc._id, severity: doc.severity, category: doc.category, raisedAt: londonDateTime(doc.createdAt) };
  const headline = text.render(templateId, params);
  const [acknowledgeTitle, openTitle] = text.scripted(templateId).suggestions;
  if (!acknowledgeTitle || !openTitle) throw new Error(`template ${templateId} needs two suggestions: acknowledge and open`);

  const body: object[] = [
    { type: 'TextBlock', text: headline, wrap: true, weight: 'Bolder', color: doc.severity === 'urgent' ? 'Attention' : 'Default' },
  ];
  if (options.dutyCover) body.push({ type: 'TextBlock', text: text.render(NOTICE_TEMPLATES.dutyCover), wrap: true, isSubtle: true });
  body.push({
    type: 'RichTextBlock',
    inlines: [{ type: 'TextRun', text: text.render(NOTICE_TEMPLATES.excerpt, { excerpt: doc.excerpt }) }],
  });

  const card = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: headline,
    body,
    actions: [
      // Outside Teams the card only opens the console: a button there could not prove who pressed it.
      ...(options.channelId === undefined || options.channelId === ADVISER_ACTION_CHANNEL
        ? [{ type: 'Action.Submit', title: acknowledgeTitle, data: { action: ACKNOWLEDGE_ACTION, id: doc._id } }]
        : []),
      { type: 'Action.OpenUrl', title: openTitle, url: options.consoleUrl },
    ],
  };
  return { text: headline, card };
}
