import { ActivityTypes, MessageFactory, TurnContext, type Middleware } from 'botbuilder';
import { z } from 'zod';
import type { AdviserDirectory } from '../../services/advisers/adviser-directory';
import type { AdviserReferences } from '../../services/advisers/adviser-references';
import type { InviteCodes } from '../../services/advisers/invite-codes';
import {
  ACKNOWLEDGE_ACTION,
  ADVISER_ACTION_CHANNEL,
  acknowledge,
  escalationIdSchema,
  type EscalationDeps,
  type TextSource,
} from '../../services/escalations';
import type { Logger } from '../../services/logging';
import { storedReferenceOf } from '../proactive-messenger';

/**
 * Advisers in chat:
 * - `adviser link ABCD-EFGH` (a code from `POST /api/advisers/me/link-code`, which needs the
 *   adviser's bearer token) links this chat to the adviser and stores its conversation reference
 *   for proactive escalation cards. Any channel: the one-time code is the proof of identity.
 * - pressing Acknowledge on a card (Action.Submit → a message whose `value` is
 *   `{ action: 'escalation.acknowledge', id }`, or the same data in an `adaptiveCard/action` invoke)
 *   acknowledges it as that adviser, with the same caseload checks and audit as the API — **in
 *   Teams only**, and only from the chat that was linked. The card carries nothing secret, so the
 *   sender's identity must come from the channel: Teams' Bot Connector authenticates `from.id`;
 *   Web Chat / Direct Line let the client choose it. Anywhere else the press gets a polite
 *   refusal naming the console, and nothing is read, changed or audited for that escalation.
 *   (Cards delivered outside Teams have no Acknowledge button.)
 * - any other Teams message from a linked adviser refreshes the stored reference, then goes on
 *   (never outside Teams, where a forged `from.id` could redirect an adviser's notices).
 * Runs after the safety gate, so these messages are screened like any other.
 */
export const ADVISER_TEMPLATES = {
  acknowledged: 'escalation.card.acknowledged',
  notFound: 'escalation.card.not-found',
  alreadyResolved: 'escalation.card.already-resolved',
  notRegistered: 'adviser.not-registered',
  linked: 'adviser.linked',
  linkFailed: 'adviser.link-failed',
  teamsOnly: 'escalation.card.teams-only',
} as const;

const LINK_COMMAND = /^\s*adviser\s+link\s+(\S{1,20})\s*$/i;

const acknowledgeValue = z.object({ action: z.literal(ACKNOWLEDGE_ACTION), id: z.string() }).loose();

export interface AdviserChannelDeps {
  advisers: AdviserDirectory;
  references: AdviserReferences;
  inviteCodes: InviteCodes;
  escalations: EscalationDeps;
  text: TextSource;
  logger?: Logger;
}

export class AdviserChannel implements Middleware {
  constructor(private readonly deps: AdviserChannelDeps) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const isInvoke = activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action';
    if (activity.type !== ActivityTypes.Message && !isInvoke) return next();

    const submitted = isInvoke ? (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data : activity.value;
    // Most messages carry no value at all; only an object can be a card's submission.
    const ack = typeof submitted === 'object' && submitted !== null ? acknowledgeValue.safeParse(submitted) : null;
    if (ack?.success) {
      await this.acknowledgeFromCard(context, ack.data.id, isInvoke);
      return;
    }

    const link = typeof activity.text === 'string' ? LINK_COMMAND.exec(activity.text) : null;
    if (link && activity.type === ActivityTypes.Message) {
      await this.link(context, link[1]!);
      return;
    }

    if (activity.channelId !== ADVISER_ACTION_CHANNEL) return next();
    try {
      const adviserId = await this.deps.references.adviserForChannelUser(activity.channelId, activity.from.id);
      if (adviserId) await this.deps.references.refresh(adviserId, storedReferenceOf(TurnContext.getConversationReference(activity)));
    } catch (error) {
      this.deps.logger?.warn({ err: error }, 'could not refresh an adviser reference');
    }
    return next();
  }

  private async acknowledgeFromCard(context: TurnContext, id: string, isInvoke: boolean): Promise<void> {
    const activity = context.activity;
    if (activity.channelId !== ADVISER_ACTION_CHANNEL) {
      // Nothing secret is in the card: outside Teams nobody's identity is proven, so do nothing.
      this.deps.logger?.info({ channelId: activity.channelId }, 'card acknowledgement refused outside Teams');
      await this.reply(context, this.deps.text.render(ADVISER_TEMPLATES.teamsOnly), isInvoke);
      return;
    }
    const registration = await this.deps.references.registrationOf(activity.channelId, activity.from.id);
    // Only from the chat that was linked (where the cards are delivered).
    const adviserId = registration && registration.conversationId === activity.conversation.id ? registration.adviserId : null;
    const adviser = adviserId ? this.deps.advisers.get(adviserId) : null;
    let templateId: string;
    let params: Record<string, string> = {};
    if (!adviser) {
      templateId = ADVISER_TEMPLATES.notRegistered;
    } else if (!escalationIdSchema.safeParse(id).success) {
      templateId = ADVISER_TEMPLATES.notFound;
    } else {
      const result = await acknowledge(this.deps.escalations, adviser, id, 'card');
      if (result.ok) {
        templateId = ADVISER_TEMPLATES.acknowledged;
        params = { id };
      } else if (result.reason === 'already-resolved') {
        templateId = ADVISER_TEMPLATES.alreadyResolved;
        params = { id };
      } else {
        templateId = ADVISER_TEMPLATES.notFound;
      }
    }
    await this.reply(context, this.deps.text.render(templateId, params), isInvoke);
  }

  private async reply(context: TurnContext, text: string, isInvoke: boolean): Promise<void> {
    if (isInvoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } });
    } else {
      await context.sendActivity(MessageFactory.text(text));
    }
  }

  private async link(context: TurnContext, code: string): Promise<void> {
    const activity = context.activity;
    const channelUser = `${activity.channelId}:${activity.from.id}`;
    const result = await this.deps.inviteCodes.redeemAdviserLinkCode(code, channelUser);
    if (!result.ok) {
      this.deps.logger?.info({ reason: result.reason }, 'adviser link refused');
      await context.sendActivity(MessageFactory.text(this.deps.text.render(ADVISER_TEMPLATES.linkFailed)));
      return;
    }
    await this.deps.references.register(result.adviserId, activity.from.id, storedReferenceOf(TurnContext.getConversationReference(activity)));
    this.deps.logger?.info({ adviserId: result.adviserId, channelId: activity.channelId }, 'adviser linked a conversation');
    await context.sendActivity(MessageFactory.text(this.deps.text.render(ADVISER_TEMPLATES.linked)));
  }
}
