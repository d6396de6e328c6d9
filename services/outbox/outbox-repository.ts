import { randomUUID } from 'node:crypto';
import type { OutboundMessage, StoredReference } from '../messaging/messenger';
import { DuplicateKeyError, type Collection, type DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * The persisted outbox: one row per (logical message, recipient). Its `_id` is the idempotency
 * key, so enqueueing the same message twice is a no-op and needs no secondary unique index.
 *
 * Claims are leases with explicit timestamps (`leaseUntil`), compared by the claimer; nothing
 * depends on a TTL index (FerretDB v1 has none).
 */
export const OUTBOX_COLLECTION = 'outbox';
export const OUTBOX_CONTROL_COLLECTION = 'outbox_control';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';
export type FailureReason = 'dead-reference' | 'rejected' | 'attempts-exhausted';

export interface OutboxRow {
  _id: string;
  topic: string;
  subjectId: string | null;
  /** Who it is for, as an id (`adviser:<id>`), never a name. */
  recipientKey: string;
  recipient: StoredReference;
  /** Cleared once sent, so delivered text is not kept longer than needed. */
  message: StoredMessage | null;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  /** Timestamps are ISO-8601 UTC strings (`toISOString`): they sort and compare as text. */
  nextAttemptAt: string;
  leaseId: string | null;
  leaseUntil: string | null;
  lastError: { kind: string; status: number | null } | null;
  failureReason: FailureReason | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  [key: string]: unknown;
}

/**
 * The card is kept as JSON text: Adaptive Cards carry keys such as `$schema`, which the store
 * (portably across MongoDB, FerretDB and the embedded adapter) does not accept as field names.
 */
export interface StoredMessage {
  text: string;
  cardJson: string | null;
}

export function toStoredMessage(message: OutboundMessage): StoredMessage {
  return { text: message.text, cardJson: message.card ? JSON.stringify(message.card) : null };
}

export function toOutboundMessage(message: StoredMessage): OutboundMessage {
  return message.cardJson ? { text: message.text, card: JSON.parse(message.cardJson) as object } : { text: message.text };
}

interface ThrottleDoc {
  _id: string;
  until: string;
  updatedAt: string;
  [key: string]: unknown;
}

export interface NewOutboxMessage {
  idempotencyKey: string;
  topic: string;
  subjectId?: string | null;
  recipientKey: string;
  recipient: StoredReference;
  message: OutboundMessage;
  maxAttempts: number;
}

const THROTTLE_ID = 'throttle';

export class OutboxRepository {
  private readonly rows: Collection<OutboxRow>;
  private readonly control: Collection<ThrottleDoc>;

  constructor(store: DocumentStore) {
    this.rows = store.collection<OutboxRow>(OUTBOX_COLLECTION);
    this.control = store.collection<ThrottleDoc>(OUTBOX_CONTROL_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [
    this.rows.createIndex({ status: 1, nextAttemptAt: 1 }),
    this.rows.createIndex({ subjectId: 1 }),
  ]);

  /** Inserts a pending row; false when a row with this idempotency key already exists. */
  async insert(input: NewOutboxMessage, at: Date): Promise<boolean> {
    await this.ensureIndexes();
    const now = at.toISOString();
    try {
      await this.rows.insertOne({
        _id: input.idempotencyKey,
        topic: input.topic,
        subjectId: input.subjectId ?? null,
        recipientKey: input.recipientKey,
        recipient: input.recipient,
        message: toStoredMessage(input.message),
        status: 'pending',
        attempts: 0,
        maxAttempts: input.maxAttempts,
        nextAttemptAt: now,
        leaseId: null,
        leaseUntil: null,
        lastError: null,
        failureReason: null,
        createdAt: now,
        updatedAt: now,
        sentAt: null,
      });
      return true;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }

  /**
   * Atomically leases the next due row: a pending row whose `nextAttemptAt` has come, or a row
   * whose previous lease has expired (its claimer crashed or stalled). Counts an attempt.
   */
  async claimNext(at: Date, leaseMs: number): Promise<OutboxRow | null> {
    await this.ensureIndexes();
    const now = at.toISOString();
    return this.rows.findOneAndUpdate(
      {
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          { status: 'sending', leaseUntil: { $lte: now } },
        ],
      },
      {
        $set: { status: 'sending', leaseId: randomUUID(), leaseUntil: new Date(at.getTime() + leaseMs).toISOString(), updatedAt: now },
        $inc: { attempts: 1 },
      },
      { sort: { nextAttemptAt: 1 } },
    );
  }

  /** Fenced by the lease id: a claimer whose lease was taken over changes nothing. */
  async markSent(row: OutboxRow, at: Date): Promise<boolean> {
    const now = at.toISOString();
    const result = await this.rows.updateOne(
      { _id: row._id, leaseId: row.leaseId },
      { $set: { status: 'sent', sentAt: now, updatedAt: now, leaseId: null, leaseUntil: null, message: null, lastError: null } },
    );
    return result.matchedCount === 1;
  }

  async release(
    row: OutboxRow,
    at: Date,
    nextAttempt: Date,
    lastError: OutboxRow['lastError'],
    options: { refundAttempt?: boolean } = {},
  ): Promise<boolean> {
    const now = at.toISOString();
    const nextAttemptAt = nextAttempt.toISOString();
    const result = await this.rows.updateOne(
      { _id: row._id, leaseId: row.leaseId },
      {
        $set: { status: 'pending', nextAttemptAt, updatedAt: now, leaseId: null, leaseUntil: null, lastError },
        ...(options.refundAttempt ? { $inc: { attempts: -1 } } : {}),
      },
    );
    return result.matchedCount === 1;
  }

  async markFailed(row: OutboxRow, at: Date, reason: FailureReason, lastError: OutboxRow['lastError']): Promise<boolean> {
    const now = at.toISOString();
    const result = await this.rows.updateOne(
      { _id: row._id, leaseId: row.leaseId },
      { $set: { status: 'failed', failureReason: reason, updatedAt: now, leaseId: null, leaseUntil: null, lastError } },
    );
    return result.matchedCount === 1;
  }

  async throttledUntil(): Promise<Date | null> {
    const doc = await this.control.findOne({ _id: THROTTLE_ID });
    return doc ? new Date(doc.until) : null;
  }

  /** Raises the shared throttle flag; never shortens one another instance already set. */
  async throttle(untilAt: Date, at: Date): Promise<void> {
    const until = untilAt.toISOString();
    const now = at.toISOString();
    const updated = await this.control.updateOne({ _id: THROTTLE_ID, until: { $lt: until } }, { $set: { until, updatedAt: now } });
    if (updated.matchedCount === 1) return;
    try {
      await this.control.insertOne({ _id: THROTTLE_ID, until, updatedAt: now });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      // Already present with a later `until`: keep it.
    }
  }

  get(id: string): Promise<OutboxRow | null> {
    return this.rows.findOne({ _id: id });
  }

  list(filter: { status?: OutboxStatus; subjectId?: string; topic?: string } = {}, limit = 200): Promise<OutboxRow[]> {
    const query: Record<string, string> = {};
    if (filter.status) query.status = filter.status;
    if (filter.subjectId) query.subjectId = filter.subjectId;
    if (filter.topic) query.topic = filter.topic;
    return this.rows.find(query, { sort: { createdAt: 1 }, limit });
  }
}
