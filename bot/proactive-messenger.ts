import { CardFactory, type CloudAdapter, type ConversationReference, type Activity } from 'botbuilder';
import type { Logger } from '../services/logging';
import {
  classifySendFailure,
  PermanentSendError,
  RetryableSendError,
  type SendError,
  type Messenger,
  type OutboundMessage,
  type SendOptions,
  type StoredReference,
} from '../services/messaging/messenger';

/**
 * The Messenger port over Bot Framework: `continueConversationAsync` with the stored reference,
 * one message per call. Channel failures become the port's typed errors (`classifyChannelFailure`):
 *
 * - **Teams** follows Microsoft's table "Status codes from bot conversational APIs" (Teams platform
 *   docs, build-conversational-capability): only 412, 429, 502, 503, 504 and network failures are
 *   retried. 404 and the 403s that mean the bot was blocked, removed or not installed
 *   (`DEAD_REFERENCE_403_CODES`) forget the reference until the person talks to the bot again. Any
 *   other 403 (`BotDisabledByAdmin`, `NotEnoughPermissions`, `InvalidBotApiHost`, or none) and a 500
 *   are not retried but keep the reference, so a later notice tries again once the admin acts.
 * - **Other channels**: 429/412/5xx/network are retried; 404 and those 403 codes are dead; any
 *   other 403 is retried with backoff (a safeguarding `escalation.*` notice is failed at once
 *   instead, so the duty-team fallback is not delayed: see services/outbox/drain.ts).
 *
 * Either way a safeguarding notice that is not delivered goes to the duty team at once.
 *
 * The idempotency key is remembered for keys this process already delivered, so a lease that
 * expired under a slow send cannot make this process send it twice. Across processes the
 * outbox's at-least-once guarantee applies (see services/outbox/drain.ts).
 */
export class ProactiveMessenger implements Messenger {
  private readonly delivered = new Set<string>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string | undefined,
    private readonly logger?: Logger,
    private readonly rememberKeys = 10_000,
  ) {}

  async send(recipient: StoredReference, message: OutboundMessage, options: SendOptions = {}): Promise<void> {
    const key = options.idempotencyKey;
    if (key && this.delivered.has(key)) return;
    const activity: Partial<Activity> = { type: 'message', text: message.text, textFormat: 'plain' };
    if (message.card) activity.attachments = [CardFactory.adaptiveCard(message.card)];

    try {
      await this.adapter.continueConversationAsync(this.appId ?? '', recipient as Partial<ConversationReference>, async (context) => {
        await context.sendActivity(activity);
      });
    } catch (error) {
      const failure = describeChannelError(error);
      this.logger?.warn({ status: failure.status, code: failure.code, channelId: recipient.channelId }, 'proactive send failed');
      throw classifyChannelFailure(failure, recipient.channelId);
    }
    if (key) this.remember(key);
  }

  private remember(key: string): void {
    this.delivered.add(key);
    if (this.delivered.size > this.rememberKeys) {
      const oldest = this.delivered.values().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
  }
}

/**
 * The 403 codes Teams documents for "this conversation is gone for the bot": the user blocked or
 * uninstalled it (`MessageWritesBlocked`, `ConversationBlockedByUser`), it is no longer in the
 * conversation (`BotNotInConversationRoster`) or not installed in the person's personal scope
 * (`ForbiddenOperationException`). Only these, and 404, forget an adviser's reference.
 */
export const DEAD_REFERENCE_403_CODES: ReadonlySet<string> = new Set([
  'MessageWritesBlocked',
  'ConversationBlockedByUser',
  'BotNotInConversationRoster',
  'ForbiddenOperationException',
]);

/** The only statuses Microsoft says a Teams bot should retry (besides network failures). */
const TEAMS_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

const TEAMS_CHANNEL_ID = 'msteams';

export function classifyChannelFailure(failure: ChannelFailure, channelId: string): SendError {
  const { status, code } = failure;
  const isDead403 = status === 403 && code !== null && DEAD_REFERENCE_403_CODES.has(code);
  if (channelId === TEAMS_CHANNEL_ID && status !== null && status !== 404 && !isDead403 && !TEAMS_RETRYABLE_STATUSES.has(status)) {
    return new PermanentSendError(`Teams refused the message (${status}${code ? ` ${code}` : ''}); the reference is kept`, status);
  }
  if (status === 403 && !isDead403) {
    return new RetryableSendError(`the channel answered 403${code ? ` ${code}` : ''}; the reference is kept`, 403, failure.retryAfterMs);
  }
  return classifySendFailure(failure);
}

export interface ChannelFailure {
  status: number | null;
  code: string | null;
  retryAfterMs: number | null;
}

/** Reads status, channel error code and Retry-After from what botframework-connector throws. */
export function describeChannelError(error: unknown): ChannelFailure {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined | null }; bodyAsText?: unknown; parsedBody?: unknown };
    details?: unknown;
  };
  const status = [e.statusCode, e.status, e.response?.status].find((value): value is number => typeof value === 'number' && value >= 100 && value < 600) ?? null;

  let code: string | null = null;
  const bodyCode = (body: unknown): string | null => {
    const inner = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof inner === 'string' ? inner : null;
  };
  code = bodyCode(e.details) ?? bodyCode(e.response?.parsedBody);
  if (!code && typeof e.response?.bodyAsText === 'string') {
    try {
      code = bodyCode(JSON.parse(e.response.bodyAsText));
    } catch {
      code = null;
    }
  }
  if (!code && typeof e.code === 'string') code = e.code;

  let retryAfterMs: number | null = null;
  const header = e.response?.headers?.get?.('retry-after');
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) retryAfterMs = Math.max(0, seconds * 1000);
    else if (!Number.isNaN(Date.parse(header))) retryAfterMs = Math.max(0, Date.parse(header) - Date.now());
  }
  return { status, code, retryAfterMs };
}

/** The persisted form of the reference of an incoming activity: no names, no message. */
export function storedReferenceOf(reference: Partial<ConversationReference>): StoredReference {
  const conversation = reference.conversation;
  if (!reference.channelId || !reference.serviceUrl || !conversation?.id) throw new Error('the activity has no usable conversation reference');
  return {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: {
      id: conversation.id,
      ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}),
      ...(conversation.conversationType ? { conversationType: conversation.conversationType } : {}),
      ...(typeof conversation.isGroup === 'boolean' ? { isGroup: conversation.isGroup } : {}),
    },
    ...(reference.bot?.id ? { bot: { id: reference.bot.id } } : {}),
    ...(reference.user?.id ? { user: { id: reference.user.id, ...(reference.user.aadObjectId ? { aadObjectId: reference.user.aadObjectId } : {}) } } : {}),
    ...(reference.locale ? { locale: reference.locale } : {}),
  };
}
