import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../services/logging';
import { sendError } from '../http/errors';
import { jsonBody } from '../http/json-body';
import { authorize } from './auth';
import { botAccount, CHANNEL_ID } from './accounts';
import type { ChannelActivity, Conversation, ConversationRegistry } from './conversations';
import { optionalJsonBody } from './optional-json-body';
import { clientActivityBody, describeIssues, generateTokenBody, startConversationBody, watermarkQuery } from './schemas';
import { streamUrlFor } from './stream';
import type { TokenService } from './tokens';

export interface ClientRouteDeps {
  registry: ConversationRegistry;
  tokens: TokenService;
  /** Hands an activity to the bot in-process; resolves when its turn has finished. */
  deliver: (activity: Activity) => Promise<void>;
  serviceUrl: () => string;
  logger: Logger;
  maxBodySize: number;
  /** How long a post waits for the bot's turn before answering anyway (the turn carries on). */
  turnWaitMs: number;
}

const PREFIX = '/v3/directline';

/**
 * The client side of Direct Line 3.0, as Web Chat and Direct Line JS call it: tokens,
 * conversations, posting activities and polling for them. Streaming is in `stream.ts`.
 */
export function mountClientRoutes(server: Server, deps: ClientRouteDeps): void {
  const { registry, tokens, logger } = deps;

  // Locally anyone who can load the page may start a conversation, as with a Web Chat secret
  // exchanged server-side. The token binds the conversation and, optionally, the user id.
  server.post(`${PREFIX}/tokens/generate`, optionalJsonBody(deps.maxBodySize), (req, res, next) => {
    const parsed = generateTokenBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidBody', describeIssues(parsed.error));
      return next(false);
    }
    const conversation = registry.create(parsed.data.user?.id);
    const token = tokens.issue(conversation.id, conversation.userId);
    res.json(200, { conversationId: conversation.id, token, expires_in: tokens.expiresInSeconds });
    return next();
  });

  server.post(`${PREFIX}/tokens/refresh`, (req, res, next) => {
    const authorized = authorize(req, res, tokens, registry);
    if (!authorized) return next(false);
    const token = tokens.issue(authorized.conversation.id, authorized.grant.userId);
    res.json(200, { conversationId: authorized.conversation.id, token, expires_in: tokens.expiresInSeconds });
    return next();
  });

  server.post(`${PREFIX}/conversations`, optionalJsonBody(deps.maxBodySize), (req, res, next) => {
    const authorized = authorize(req, res, tokens, registry);
    if (!authorized) return next(false);
    const parsed = startConversationBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidBody', describeIssues(parsed.error));
      return next(false);
    }
    const { conversation, grant } = authorized;
    conversation.userId ??= parsed.data.user?.id;
    const created = !conversation.started;
    conversation.started = true;
    res.json(created ? 201 : 200, conversationResponse(req, tokens, conversation, bearer(req), grant.expiresAt));
    if (conversation.userId) void announceMembers(conversation, deps);
    return next();
  });

  server.get(`${PREFIX}/conversations/:conversationId`, (req, res, next) => {
    const authorized = authorize(req, res, tokens, registry, req.params.conversationId);
    if (!authorized) return next(false);
    const query = watermarkQuery.safeParse(queryOf(req));
    if (!query.success) {
      sendError(res, 400, 'InvalidWatermark', describeIssues(query.error));
      return next(false);
    }
    authorized.conversation.started = true;
    res.json(200, conversationResponse(req, tokens, authorized.conversation, bearer(req), authorized.grant.expiresAt, query.data.watermark));
    return next();
  });

  server.get(`${PREFIX}/conversations/:conversationId/activities`, (req, res, next) => {
    const authorized = authorize(req, res, tokens, registry, req.params.conversationId);
    if (!authorized) return next(false);
    const query = watermarkQuery.safeParse(queryOf(req));
    if (!query.success) {
      sendError(res, 400, 'InvalidWatermark', describeIssues(query.error));
      return next(false);
    }
    res.json(200, authorized.conversation.since(query.data.watermark));
    return next();
  });

  server.post(`${PREFIX}/conversations/:conversationId/activities`, ...jsonBody(deps.maxBodySize), async (req: Request, res: Response) => {
    const authorized = authorize(req, res, tokens, registry, req.params.conversationId);
    if (!authorized) return;
    const parsed = clientActivityBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidActivity', describeIssues(parsed.error));
      return;
    }
    const { conversation, grant } = authorized;
    const { from, ...fields } = parsed.data;
    // The first sender owns the conversation: a client cannot switch to another user's id midway.
    const userId = grant.userId ?? conversation.userId ?? from.id;
    conversation.userId = userId;

    const inbound: Omit<ChannelActivity, 'id'> = {
      ...fields,
      from: { id: userId, role: 'user' },
      recipient: botAccount(),
      conversation: { id: conversation.id },
      channelId: CHANNEL_ID,
      timestamp: new Date().toISOString(),
    };
    // Web Chat marks its activity as sent when it sees it come back with its clientActivityID.
    // The user's own typing indicators go to the bot only.
    const stored = fields.type === 'typing' ? ({ ...inbound, id: conversation.transientId() } as ChannelActivity) : conversation.append(inbound);

    void announceMembers(conversation, deps);
    const outcome = await settleWithin(
      // Only the bot learns the serviceUrl: it carries the connector API's secret path.
      conversation.enqueue(() => deps.deliver({ ...structuredClone(stored), serviceUrl: deps.serviceUrl() } as unknown as Activity)),
      deps.turnWaitMs,
    );
    if (outcome === 'failed') {
      logger.warn({ conversationId: conversation.id, activityId: stored.id, type: stored.type }, 'direct line: the bot could not process an activity');
      sendError(res, 502, 'BotError', 'the bot could not process the activity');
      return;
    }
    res.json(200, { id: stored.id });
  });

  server.post(`${PREFIX}/conversations/:conversationId/upload`, (req, res, next) => {
    const authorized = authorize(req, res, tokens, registry, req.params.conversationId);
    if (!authorized) return next(false);
    sendError(res, 415, 'UploadNotSupported', 'the local Direct Line channel does not take file uploads');
    return next(false);
  });
}

/** The query string as a plain object (restify's `req.query` needs its queryParser plugin). */
function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
}

function bearer(req: Request): string {
  return (req.header('authorization') ?? '').trim().slice('Bearer '.length);
}

const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

function conversationResponse(req: Request, tokens: TokenService, conversation: Conversation, token: string, expiresAt: number, watermark?: number) {
  const host = req.header('host') ?? '';
  const forwardedProto = String(req.header('x-forwarded-proto') ?? '').split(',')[0].trim();
  const base = {
    host: HOST.test(host) ? host : `localhost:${(req.socket.localPort ?? 80).toString()}`,
    secure: forwardedProto === 'https' || req.isSecure(),
  };
  return {
    conversationId: conversation.id,
    token,
    expires_in: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
    streamUrl: streamUrlFor(base, conversation.id, tokens.issueStreamToken(conversation.id), watermark),
  };
}

/**
 * Tells the bot, once per conversation, that the user and the bot have joined
 * (`conversationUpdate` with `membersAdded`), as the hosted Direct Line does.
 */
function announceMembers(conversation: Conversation, deps: ClientRouteDeps): Promise<void> {
  if (conversation.membersAnnounced || !conversation.userId) return Promise.resolve();
  conversation.membersAnnounced = true;
  const user = { id: conversation.userId, role: 'user' };
  const update = {
    type: 'conversationUpdate',
    id: `${conversation.id}|members`,
    membersAdded: [user, botAccount()],
    from: user,
    recipient: botAccount(),
    conversation: { id: conversation.id },
    channelId: CHANNEL_ID,
    serviceUrl: deps.serviceUrl(),
    timestamp: new Date().toISOString(),
  } as unknown as Activity;
  return conversation.enqueue(() => deps.deliver(update)).catch(() => {
    deps.logger.warn({ conversationId: conversation.id, type: 'conversationUpdate' }, 'direct line: the bot could not process an activity');
  });
}

async function settleWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'failed' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const, () => 'failed' as const), waited]);
  } finally {
    clearTimeout(timer);
  }
}
