import { ActivityTypes, MessageFactory, TurnContext, type Middleware } from 'botbuilder';
import { z } from 'zod';
import type { AdviserDirectory } from '../../services/advisers/adviser-directory';
import type { AdviserReferences } from '../../services/advisers/adviser-references';
import type { InviteCodes } from '../../services/advisers/invite-codes';
import { ACKNOWLEDGE_ACTION, acknowledge, escalationIdSchema, type EscalationDeps, type TextSource } from '../../services/escalations';
import type { Logger } from '../../services/logging';
import { storedReferenceOf } from '../proactive-messenger';

/**
 * Advisers in Teams (or any channel):
 * - `adviser link ABCD-EFGH` (a code from `POST /api/advisers/me/link-code`) links this chat to the
 *   adviser and stores its conversation reference for proactive escalation cards;
 * - pressing Acknowledge on a card (Action.Submit → a message whose `value` is
 *   `{ action: 'escalation.acknowledge', id }`, or the same data in an `adaptiveCard/action` invoke)
 *   acknowledges it as that adviser, with the same caseload checks and audit as the API;
 * - any other message from a linked adviser refreshes the stored reference, then goes on.
 * Runs after the safety gate, so these messages are screened like any other.
 */
export const ADVISER_TEMPLATES = {
  acknowledged: 'escalation.card.acknowledged',
  notFound: 'escalation.card.not-found',
  alreadyResolved: 'escalation.card.already-resolved',
  notRegistered: 'adviser.not-registered',
  linked: 'adviser.linked',
  linkFailed: 'adviser.link-failed',
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
    const ack = acknowledgeValue.safeParse(submitted);
    if (ack.success) {
      await this.acknowledgeFromCard(context, ack.data.id, isInvoke);
      return;
    }

    const link = typeof activity.text === 'string' ? LINK_COMMAND.exec(activity.text) : null;
    if (link && activity.type === ActivityTypes.Message) {
      await this.link(context, link[1]!);
      return;
    }

    const adviserId = await this.deps.references.adviserForChannelUser(activity.channelId, activity.from.id);
    if (adviserId) {
      try {
        await this.deps.references.refresh(adviserId, storedReferenceOf(TurnContext.getConversationReference(activity)));
      } catch (error) {
        this.deps.logger?.warn({ err: error, adviserId }, 'could not refresh an adviser reference');
      }
    }
    return next();
  }

  private async acknowledgeFromCard(context: TurnContext, id: string, isInvoke: boolean): Promise<void> {
    const activity = context.activity;
    const adviserId = await this.deps.references.adviserForChannelUser(activity.channelId, activity.from.id);
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
    const text = this.deps.text.render(templateId, params);
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
