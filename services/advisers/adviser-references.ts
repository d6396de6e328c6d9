import type { Clock } from '../clock';
import type { StoredReference } from '../messaging/messenger';
import type { Collection, DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * Where each adviser can be reached proactively: the conversation reference captured when they
 * last messaged the bot in Teams after linking (see `redeemAdviserLinkCode`). Persisted, never
 * kept only in memory. One reference per adviser (the latest wins).
 */
export const ADVISER_REFERENCES_COLLECTION = 'adviser_references';

interface ReferenceDoc {
  _id: string;
  channelId: string;
  /** The channel's id for the adviser's account (Teams: an opaque `29:...` id). No names. */
  channelUserId: string;
  reference: StoredReference;
  registeredAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

export class AdviserReferences {
  private readonly docs: Collection<ReferenceDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.docs = store.collection<ReferenceDoc>(ADVISER_REFERENCES_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [this.docs.createIndex({ channelId: 1, channelUserId: 1 })]);

  async register(adviserId: string, channelUserId: string, reference: StoredReference): Promise<void> {
    await this.ensureIndexes();
    const now = this.clock.now().toISOString();
    // A channel account belongs to one adviser: drop a previous adviser's claim on it.
    await this.docs.deleteMany({ channelId: reference.channelId, channelUserId, _id: { $ne: adviserId } });
    await this.docs.updateOne(
      { _id: adviserId },
      { $set: { channelId: reference.channelId, channelUserId, reference, updatedAt: now }, $setOnInsert: { registeredAt: now } },
      { upsert: true },
    );
  }

  /** Keeps the reference fresh (Teams may move a conversation to another serviceUrl). */
  async refresh(adviserId: string, reference: StoredReference): Promise<void> {
    await this.docs.updateOne({ _id: adviserId, channelId: reference.channelId }, { $set: { reference, updatedAt: this.clock.now().toISOString() } });
  }

  async referenceFor(adviserId: string): Promise<StoredReference | null> {
    const doc = await this.docs.findOne({ _id: adviserId });
    return doc ? doc.reference : null;
  }

  async adviserForChannelUser(channelId: string, channelUserId: string): Promise<string | null> {
    await this.ensureIndexes();
    const doc = await this.docs.findOne({ channelId, channelUserId });
    return doc ? doc._id : null;
  }

  /** The adviser a channel account is linked to, and the conversation it was linked in. */
  async registrationOf(channelId: string, channelUserId: string): Promise<{ adviserId: string; conversationId: string } | null> {
    await this.ensureIndexes();
    const doc = await this.docs.findOne({ channelId, channelUserId });
    return doc ? { adviserId: doc._id, conversationId: doc.reference.conversation.id } : null;
  }

  /** The reference is dead (403/404): forget it, only if it is still the one that failed. */
  async forgetIfSame(adviserId: string, conversationId: string): Promise<void> {
    await this.docs.deleteOne({ _id: adviserId, 'reference.conversation.id': conversationId });
  }
}
