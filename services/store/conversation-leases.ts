import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { DuplicateKeyError, type Collection, type DocumentStore } from './port';

export const CONVERSATION_LEASES_COLLECTION = 'conversation_leases';

interface LeaseDoc {
  _id: string;
  holder: string;
  leaseUntil: string;
  [key: string]: unknown;
}

/**
 * One turn at a time per conversation across every instance sharing the store. Bot Framework's
 * state writes use eTag '*', so without this two instances could both load, both change and the
 * last writer would win. Expiry compares explicit timestamps (no TTL index), so a crashed
 * instance's lease simply runs out.
 */
export class ConversationLeases {
  private readonly leases: Collection<LeaseDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.leases = store.collection<LeaseDoc>(CONVERSATION_LEASES_COLLECTION);
  }

  /** Takes the lease if it is free or has run out; resolves with its token, or null if held. */
  async tryAcquire(conversationKey: string, ttlMs: number): Promise<string | null> {
    const holder = randomUUID();
    const at = this.clock.now();
    const leaseUntil = new Date(at.getTime() + ttlMs).toISOString();
    const taken = await this.leases.findOneAndUpdate(
      { _id: conversationKey, leaseUntil: { $lte: at.toISOString() } },
      { $set: { holder, leaseUntil } },
    );
    if (taken) return holder;
    try {
      await this.leases.insertOne({ _id: conversationKey, holder, leaseUntil });
      return holder;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return null;
      throw error;
    }
  }

  /** Ends the lease early, if this holder still has it. */
  async release(conversationKey: string, holder: string): Promise<void> {
    await this.leases.updateOne({ _id: conversationKey, holder }, { $set: { leaseUntil: this.clock.now().toISOString() } });
  }
}
