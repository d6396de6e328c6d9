import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import type { Logger } from '../../services/logging';
import { sendError } from '../http/errors';
import { jsonBody } from '../http/json-body';
import { botAccount, CHANNEL_ID } from './accounts';
import type { ConversationRegistry } from './conversations';
import { botActivityBody, describeIssues } from './schemas';

export interface ConnectorRouteDeps {
  registry: ConversationRegistry;
  logger: Logger;
  maxBodySize: number;
  /** Where the API is mounted: the secret part of the bot's `serviceUrl`. */
  basePath: string;
}

/**
 * The Bot Connector API the bot calls back on (its `serviceUrl` is this server's loopback
 * address and `basePath`): replies, proactive messages, updates and deletes land in the
 * conversation's stream.
 *
 * There is no app id locally, so the bot's calls carry no token: only a caller that knows the
 * secret `basePath`, on this machine, is accepted.
 */
export function mountConnectorRoutes(server: Server, deps: ConnectorRouteDeps): void {
  const { registry } = deps;
  const body = jsonBody(deps.maxBodySize);
  const base = `${deps.basePath}/v3/conversations/:conversationId/activities`;

  const send = (req: Request, res: Response, next: Next) => {
    const conversation = registry.get(req.params.conversationId);
    if (!conversation) return notFound(res, next);
    const parsed = botActivityBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidActivity', describeIssues(parsed.error));
      return next(false);
    }
    // The serviceUrl the bot echoes carries this API's secret path: clients never see it.
    const { id: _ignored, replyToId: _replyTo, serviceUrl: _secret, ...activity } = parsed.data as Record<string, unknown>;
    // Web Chat holds a reply for 5 s until the activity it answers arrives, so only keep a
    // `replyToId` the stream has carried (not, say, a proactive turn's made-up activity id).
    const replyToId = req.params.activityId ?? parsed.data.replyToId;
    const outbound = {
      ...activity,
      type: parsed.data.type,
      from: activity.from ?? botAccount(),
      conversation: { id: conversation.id },
      channelId: CHANNEL_ID,
      timestamp: new Date().toISOString(),
      ...(replyToId && conversation.has(replyToId) ? { replyToId } : {}),
    };
    const stored = parsed.data.type === 'typing' ? conversation.sendTransient(outbound) : conversation.append(outbound);
    res.json(200, { id: stored.id });
    return next();
  };

  server.post(base, localOnly, ...body, send);
  server.post(`${base}/:activityId`, localOnly, ...body, send);

  server.put(`${base}/:activityId`, localOnly, ...body, (req: Request, res: Response, next: Next) => {
    const conversation = registry.get(req.params.conversationId);
    if (!conversation) return notFound(res, next);
    const parsed = botActivityBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidActivity', describeIssues(parsed.error));
      return next(false);
    }
    const { serviceUrl: _secret, ...fields } = parsed.data as Record<string, unknown>;
    const updated = { ...fields, type: parsed.data.type, conversation: { id: conversation.id }, channelId: CHANNEL_ID, from: parsed.data.from ?? botAccount() };
    if (!conversation.replace(req.params.activityId, updated)) {
      sendError(res, 404, 'ActivityNotFound', 'no such activity in this conversation (it may be too old to keep)');
      return next(false);
    }
    res.json(200, { id: req.params.activityId });
    return next();
  });

  server.del(`${base}/:activityId`, localOnly, (req: Request, res: Response, next: Next) => {
    const conversation = registry.get(req.params.conversationId);
    if (!conversation) return notFound(res, next);
    if (!conversation.remove(req.params.activityId)) {
      sendError(res, 404, 'ActivityNotFound', 'no such activity in this conversation (it may be too old to keep)');
      return next(false);
    }
    res.json(200, {});
    return next();
  });

  server.post(`${deps.basePath}/v3/conversations`, localOnly, (_req: Request, res: Response, next: Next) => {
    sendError(
      res,
      501,
      'NotSupported',
      'the local Direct Line channel cannot start conversations; continue one a user started, with its conversation reference',
    );
    return next(false);
  });
}

function notFound(res: Response, next: Next): void {
  sendError(res, 404, 'ConversationNotFound', 'no such conversation here; it may have ended or been forgotten after being idle');
  return next(false);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** Accepts only callers on this machine: loopback, or the address the server itself listens on. */
const localOnly: RequestHandler = (req: Request, res: Response, next: Next) => {
  const remote = req.socket.remoteAddress ?? '';
  if (LOOPBACK.test(remote) || remote === req.socket.localAddress) return next();
  sendError(res, 403, 'NotLocal', 'the Bot Connector endpoints of the local Direct Line channel answer only this machine');
  return next(false);
};
