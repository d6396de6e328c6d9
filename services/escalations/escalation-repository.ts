import type { Collection, DocumentStore, Filter, Update } from '../store/port';
import { OPEN_STATUSES, UNACKNOWLEDGED_STATUSES, type EscalationDoc } from './escalation';
import { indexesOnFirstUse } from '../store/indexes';

export const ESCALATIONS_COLLECTION = 'escalations';

/** Storage of escalations, written once against the store port. Use-cases hold the logic. */
export class EscalationRepository {
  private readonly docs: Collection<EscalationDoc>;

  constructor(store: DocumentStore) {
    this.docs = store.collection<EscalationDoc>(ESCALATIONS_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [
    this.docs.createIndex({ conversationKey: 1, lastRaisedAt: -1 }),
    this.docs.createIndex({ ownerAdviserId: 1, createdAt: -1 }),
    this.docs.createIndex({ status: 1, ackDueAt: 1 }),
    this.docs.createIndex({ userKey: 1 }),
    this.docs.createIndex({ raiseKeys: 1 }),
  ]);

  async insert(doc: EscalationDoc): Promise<void> {
    await this.ensureIndexes();
    await this.docs.insertOne(doc);
  }

  get(id: string): Promise<EscalationDoc | null> {
    return this.docs.findOne({ _id: id });
  }

  /** The escalation a concern with this idempotency key went into, if any. */
  async findByRaiseKey(key: string): Promise<EscalationDoc | null> {
    await this.ensureIndexes();
    return this.docs.findOne({ raiseKeys: key });
  }

  /** The most recent open escalation of a conversation raised at or after `since`. */
  async findOpenInConversation(conversationKey: string, since: string): Promise<EscalationDoc | null> {
    await this.ensureIndexes();
    const [doc] = await this.docs.find(
      { conversationKey, status: { $in: OPEN_STATUSES }, lastRaisedAt: { $gte: since } },
      { sort: { lastRaisedAt: -1 }, limit: 1 },
    );
    return doc ?? null;
  }

  /** A conditional update: applies only while `expect` still matches; returns the new document. */
  update(id: string, expect: Filter, update: Update): Promise<EscalationDoc | null> {
    return this.docs.findOneAndUpdate({ ...expect, _id: id }, update);
  }

  async list(filter: Filter, limit = 500): Promise<EscalationDoc[]> {
    await this.ensureIndexes();
    return this.docs.find(filter, { sort: { createdAt: -1 }, limit });
  }

  /** Unacknowledged escalations whose SLA reminder is due. */
  async dueForReminder(now: string, maxRepeats: number, limit: number): Promise<EscalationDoc[]> {
    await this.ensureIndexes();
    return this.docs.find(
      { status: { $in: UNACKNOWLEDGED_STATUSES }, ackDueAt: { $lte: now }, slaRepeats: { $lt: maxRepeats } },
      { sort: { ackDueAt: 1 }, limit },
    );
  }

  /** Raised but never handed to the outbox (a crash between persisting and enqueueing). */
  async awaitingNotice(before: string, limit: number): Promise<EscalationDoc[]> {
    await this.ensureIndexes();
    return this.docs.find({ status: 'raised', severity: { $in: ['high', 'urgent'] }, noticeEnqueuedAt: null, updatedAt: { $lte: before } },
      { sort: { updatedAt: 1 }, limit },);
  }

  listForUser(userKey: string): Promise<EscalationDoc[]> {
    return this.docs.find({ userKey }, { sort: { createdAt: 1 } });
  }
}
