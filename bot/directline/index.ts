import type { Activity, ConversationReference } from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { Logger } from '../../services/logging';
import type { PersonalDataHolder } from '../../services/privacy/privacy-service';
import { botAccount, CHANNEL_ID } from './accounts';
import { mountClientRoutes } from './client-routes';
import { mountConnectorRoutes } from './connector-routes';
import { ConversationRegistry } from './conversations';
import { ActivityStream } from './stream';
import { TokenService } from './tokens';

export interface DirectLineLimits {
  maxConversations: number;
  maxActivities: number;
  maxBytesPerConversation: number;
  maxStreamsPerConversation: number;
  idleMs: number;
  tokenTtlMs: number;
  streamTokenTtlMs: number;
  turnWaitMs: number;
  heartbeatMs: number;
  sweepMs: number;
}

/** The section of export my data that holds what this channel keeps of a person's chats. */
const LOCAL_CHAT_SECTION = 'chatHistoryOnThisServer';

export const defaultDirectLineLimits: DirectLineLimits = {
  maxConversations: 500,
  maxActivities: 200,
  maxBytesPerConversation: 512 * 1024,
  maxStreamsPerConversation: 4,
  idleMs: 60 * 60 * 1000,
  tokenTtlMs: 30 * 60 * 1000, // as the hosted service; Direct Line JS refreshes every 15 minutes
  streamTokenTtlMs: 2 * 60 * 1000,
  turnWaitMs: 15_000,
  heartbeatMs: 30_000,
  sweepMs: 60_000,
};

export interface LocalDirectLineOptions {
  /** The bot's ingress: runs one turn for an activity, in-process. */
  deliver: (activity: Activity) => Promise<void>;
  /** This server's own base URL, reachable from this machine (the bot's `serviceUrl` starts with it). */
  serviceUrl: () => string;
  logger: Logger;
  maxBodySize: number;
  limits?: Partial<DirectLineLimits>;
}

export interface LocalDirectLine {
  /** The bot's `serviceUrl` for this channel: where its connector API answers. */
  serviceUrl(): string;
  /** A reference to continue a conversation proactively, or undefined when it is unknown or has no user yet. */
  conversationReference(conversationId: string): Partial<ConversationReference> | undefined;
  /** What this channel keeps in memory of a person's chats, for export and delete my data. */
  readonly personalData: PersonalDataHolder;
  /** Closes every stream and forgets every conversation and token. */
  close(): Promise<void>;
}

/**
 * A local Direct Line 3.0 channel for development and tests (in Azure the hosted one is used):
 * the client API under `/v3/directline`, its WebSocket stream, and the Bot Connector API that the
 * bot replies to. Everything is in memory and bounded.
 *
 * The connector API sits under a path with a random key made at start-up (the bot's `serviceUrl`
 * carries it; clients never see it), and answers only this machine. The key is what keeps a local
 * reverse proxy, which makes every caller look local, from letting anyone post as the bot.
 */
export function mountLocalDirectLine(server: Server, options: LocalDirectLineOptions): LocalDirectLine {
  const limits = { ...defaultDirectLineLimits, ...options.limits };
  const tokens = new TokenService({
    tokenTtlMs: limits.tokenTtlMs,
    streamTokenTtlMs: limits.streamTokenTtlMs,
    maxTokensPerConversation: 4,
  });
  const registry = new ConversationRegistry({
    maxConversations: limits.maxConversations,
    maxActivities: limits.maxActivities,
    maxBytes: limits.maxBytesPerConversation,
    maxListeners: limits.maxStreamsPerConversation,
    idleMs: limits.idleMs,
    onEvict: (conversationId) => tokens.revokeConversation(conversationId),
  });

  const connectorPath = `/v3/directline/connector/${randomBytes(24).toString('base64url')}`;
  const botServiceUrl = (): string => `${options.serviceUrl()}${connectorPath}`;

  mountClientRoutes(server, {
    registry,
    tokens,
    deliver: options.deliver,
    serviceUrl: botServiceUrl,
    logger: options.logger,
    maxBodySize: options.maxBodySize,
    turnWaitMs: limits.turnWaitMs,
  });
  mountConnectorRoutes(server, { registry, logger: options.logger, maxBodySize: options.maxBodySize, basePath: connectorPath });
  const stream = new ActivityStream(server.server, tokens, registry, { heartbeatMs: limits.heartbeatMs, logger: options.logger });

  const sweeper = setInterval(() => {
    const evicted = registry.sweepIdle();
    tokens.sweep();
    if (evicted > 0) options.logger.debug({ evicted, kept: registry.size }, 'direct line: forgot idle conversations');
  }, limits.sweepMs);
  sweeper.unref();

  // People are known to the bot as `directline:<user id>` (services/profiles userKeyOf).
  const userIdOf = (userKey: string) => (userKey.startsWith(`${CHANNEL_ID}:`) ? userKey.slice(CHANNEL_ID.length + 1) : null);
  const personalData: PersonalDataHolder = {
    section: LOCAL_CHAT_SECTION,
    exportFor: async (userKey) => {
      const userId = userIdOf(userKey);
      return userId === null ? [] : registry.ofUser(userId).flatMap((conversation) => conversation.messagesFrom(userId));
    },
    eraseFor: async (userKey) => {
      const userId = userIdOf(userKey);
      return userId === null ? 0 : registry.ofUser(userId).reduce((n, conversation) => n + conversation.forgetHistory(), 0);
    },
  };

  let closed = false;
  return {
    serviceUrl: botServiceUrl,
    personalData,
    conversationReference: (conversationId) => {
      const conversation = registry.get(conversationId);
      if (!conversation?.userId) return undefined;
      return {
        channelId: CHANNEL_ID,
        serviceUrl: botServiceUrl(),
        conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
        bot: botAccount(),
        user: { id: conversation.userId, name: '', role: 'user' },
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      registry.close();
      await stream.close();
      tokens.clear();
    },
  };
}

/**
 * The local channel's personal data for a privacy service built before the channel is mounted
 * (the composition root builds the journeys first): empty until `current()` gives a channel.
 */
export function localChatData(current: () => LocalDirectLine | undefined): PersonalDataHolder {
  return {
    section: LOCAL_CHAT_SECTION,
    exportFor: async (userKey) => (await current()?.personalData.exportFor(userKey)) ?? [],
    eraseFor: async (userKey) => (await current()?.personalData.eraseFor(userKey)) ?? 0,
  };
}

/** `http://<loopback>:<port>` for this server once it listens: the bot's `serviceUrl`. */
export function loopbackBaseUrl(server: Server): string {
  const address = server.address();
  if (!address) throw new Error('the server is not listening yet');
  const host = address.address;
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${address.port}`;
  if (host === '::') return `http://[::1]:${address.port}`;
  return address.family === 'IPv6' ? `http://[${host}]:${address.port}` : `http://${host}:${address.port}`;
}
