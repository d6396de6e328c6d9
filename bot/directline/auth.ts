import type { Request, Response } from 'restify';
import { sendError } from '../http/errors';
import type { Conversation, ConversationRegistry } from './conversations';
import type { TokenGrant, TokenService } from './tokens';

export interface Authorized {
  grant: TokenGrant;
  conversation: Conversation;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,256})$/;

/**
 * Checks `Authorization: Bearer <token>` for a Direct Line call, and that the token belongs to the
 * conversation in the path (when there is one). On failure it answers and returns null:
 * 401 no or malformed header, 403 unknown/expired token or another conversation's token,
 * 404 unknown conversation. Direct Line JS reads 403 as "expired token" and 404 as "ended".
 */
export function authorize(
  req: Request,
  res: Response,
  tokens: TokenService,
  registry: ConversationRegistry,
  conversationId?: string,
): Authorized | null {
  const header = req.header('authorization');
  if (!header) {
    res.header('WWW-Authenticate', 'Bearer');
    sendError(res, 401, 'MissingToken', 'send Authorization: Bearer <token>; get a token from POST /v3/directline/tokens/generate');
    return null;
  }
  const match = BEARER.exec(header.trim());
  if (!match) {
    res.header('WWW-Authenticate', 'Bearer');
    sendError(res, 401, 'MalformedAuthorization', 'the Authorization header must be "Bearer <token>"');
    return null;
  }
  const grant = tokens.verify(match[1]);
  if (!grant) {
    sendError(res, 403, 'InvalidToken', 'the token is unknown or has expired; get a new one from POST /v3/directline/tokens/generate');
    return null;
  }
  const wanted = conversationId ?? grant.conversationId;
  const conversation = registry.get(wanted);
  if (!conversation) {
    sendError(res, 404, 'ConversationNotFound', 'no such conversation here; it may have ended or been forgotten after being idle');
    return null;
  }
  if (conversation.id !== grant.conversationId) {
    sendError(res, 403, 'TokenNotForConversation', 'this token belongs to another conversation');
    return null;
  }
  return { grant, conversation };
}
