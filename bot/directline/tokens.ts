import { createHash, randomBytes } from 'node:crypto';

/** What a valid Direct Line token lets its holder do: talk in one conversation, as one user. */
export interface TokenGrant {
  readonly conversationId: string;
  /** Bound at `tokens/generate`; when set, every activity the holder posts is from this user. */
  readonly userId?: string;
  readonly expiresAt: number;
}

export interface TokenServiceOptions {
  tokenTtlMs: number;
  streamTokenTtlMs: number;
  /** Older tokens of one conversation are revoked beyond this many (refresh issues new ones). */
  maxTokensPerConversation: number;
  now?: () => number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Random bearer tokens, each scoped to one conversation. Only their SHA-256 digests are kept, so
 * lookups leak nothing by timing and a memory dump holds no usable token. Stream tokens (the `t`
 * of a `streamUrl`) are short-lived and single-use, because a WebSocket URL cannot carry a header.
 */
export class TokenService {
  private readonly grants = new Map<string, TokenGrant>();
  private readonly streamGrants = new Map<string, { conversationId: string; expiresAt: number }>();
  private readonly byConversation = new Map<string, { tokens: string[]; streams: string[] }>();
  private readonly now: () => number;

  constructor(private readonly options: TokenServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get expiresInSeconds(): number {
    return Math.floor(this.options.tokenTtlMs / 1000);
  }

  issue(conversationId: string, userId?: string): string {
    const token = newToken();
    const key = digest(token);
    this.grants.set(key, { conversationId, userId, expiresAt: this.now() + this.options.tokenTtlMs });
    const owned = this.owned(conversationId);
    owned.tokens.push(key);
    while (owned.tokens.length > this.options.maxTokensPerConversation) this.grants.delete(owned.tokens.shift()!);
    return token;
  }

  /** The grant behind a token, or null when it is unknown, revoked or expired. */
  verify(token: string): TokenGrant | null {
    const key = digest(token);
    const grant = this.grants.get(key);
    if (!grant) return null;
    if (grant.expiresAt <= this.now()) {
      this.grants.delete(key);
      return null;
    }
    return grant;
  }

  issueStreamToken(conversationId: string): string {
    const token = newToken();
    const key = digest(token);
    this.streamGrants.set(key, { conversationId, expiresAt: this.now() + this.options.streamTokenTtlMs });
    const owned = this.owned(conversationId);
    owned.streams.push(key);
    while (owned.streams.length > this.options.maxTokensPerConversation) this.streamGrants.delete(owned.streams.shift()!);
    return token;
  }

  /** Spends a stream token: the conversation it opens, or null. It cannot be used twice. */
  consumeStreamToken(token: string): string | null {
    const key = digest(token);
    const grant = this.streamGrants.get(key);
    if (!grant) return null;
    this.streamGrants.delete(key);
    const owned = this.byConversation.get(grant.conversationId);
    if (owned) owned.streams = owned.streams.filter((k) => k !== key);
    return grant.expiresAt > this.now() ? grant.conversationId : null;
  }

  revokeConversation(conversationId: string): void {
    const owned = this.byConversation.get(conversationId);
    if (!owned) return;
    owned.tokens.forEach((key) => this.grants.delete(key));
    owned.streams.forEach((key) => this.streamGrants.delete(key));
    this.byConversation.delete(conversationId);
  }

  /** Drops expired grants. */
  sweep(): void {
    const now = this.now();
    for (const [conversationId, owned] of this.byConversation) {
      owned.tokens = owned.tokens.filter((key) => {
        const live = (this.grants.get(key)?.expiresAt ?? 0) > now;
        if (!live) this.grants.delete(key);
        return live;
      });
      owned.streams = owned.streams.filter((key) => {
        const live = (this.streamGrants.get(key)?.expiresAt ?? 0) > now;
        if (!live) this.streamGrants.delete(key);
        return live;
      });
      if (owned.tokens.length === 0 && owned.streams.length === 0) this.byConversation.delete(conversationId);
    }
  }

  clear(): void {
    this.grants.clear();
    this.streamGrants.clear();
    this.byConversation.clear();
  }

  private owned(conversationId: string): { tokens: string[]; streams: string[] } {
    let owned = this.byConversation.get(conversationId);
    if (!owned) {
      owned = { tokens: [], streams: [] };
      this.byConversation.set(conversationId, owned);
    }
    return owned;
  }
}
