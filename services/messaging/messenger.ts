/**
 * The Messenger port: how services send a proactive message without knowing about Bot Framework.
 * `bot/proactive-messenger.ts` implements it; tests use fakes.
 */

/**
 * A conversation reference as we persist it: enough to continue the conversation, and no names.
 * It mirrors the fields of Bot Framework's `ConversationReference` that proactive sends need.
 */
export interface StoredReference {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; tenantId?: string; conversationType?: string; isGroup?: boolean };
  bot?: { id: string };
  user?: { id: string; aadObjectId?: string };
  locale?: string;
}

export interface OutboundMessage {
  /** Plain-text fallback; always present, shown by channels that cannot render the card. */
  text: string;
  /** An Adaptive Card (JSON object), sent as an attachment with `text` as the fallback. */
  card?: object;
}

export interface SendOptions {
  /**
   * Stable per logical message. A sender that can de-duplicate (a channel with idempotent
   * posts, or an in-process guard) uses it; the outbox passes it on every attempt.
   */
  idempotencyKey?: string;
}

export interface Messenger {
  /** Resolves once the channel accepted the message. Rejects with one of the errors below. */
  send(recipient: StoredReference, message: OutboundMessage, options?: SendOptions): Promise<void>;
}

/** The channel asked us to try again later: 429, 412, 502, 504, 5xx, or a network failure. */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
  constructor(
    message: string,
    readonly status: number | null,
    /** From `Retry-After` when the channel gave one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  /** True for 429: every sender should slow down, not only this message. */
  get throttled(): boolean {
    return this.status === 429;
  }
}

/** The reference can never be used again: 403 (e.g. `MessageWritesBlocked`, bot removed) or 404. */
export class DeadReferenceError extends Error {
  override readonly name = 'DeadReferenceError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Anything else the channel refused (e.g. 400 or 401): retrying the same request will not help. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export type SendError = RetryableSendError | DeadReferenceError | PermanentSendError;

const RETRYABLE_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Maps an HTTP status (and the channel's error code, when known) to the typed errors.
 * Unknown failures with no status are treated as network failures, so they are retried.
 */
export function classifySendFailure(input: {
  status: number | null;
  code?: string | null;
  retryAfterMs?: number | null;
}): SendError {
  const { status, code = null, retryAfterMs = null } = input;
  if (status === null) {
    if (code && !NETWORK_CODES.has(code)) return new RetryableSendError(`send failed (${code})`, null, null);
    return new RetryableSendError(`network failure${code ? ` (${code})` : ''}`, null, null);
  }
  if (status === 403 || status === 404) return new DeadReferenceError(`the conversation cannot be written to (${status}${code ? ` ${code}` : ''})`, status, code);
  if (RETRYABLE_STATUSES.has(status)) return new RetryableSendError(`the channel answered ${status}`, status, retryAfterMs);
  return new PermanentSendError(`the channel refused the message (${status})`, status);
}
