import { z } from 'zod';
import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * Which chat message shows a young person's checklist card, so a status tap can update that card
 * in place. Kept in the store (not in process memory), so it works after a restart and on any
 * instance. A card is named by a random reference carried in its buttons' data; the record holds
 * only ids and a time: the conversation, the channel's activity id and when it was sent.
 */
export const CHECKLIST_CARDS_COLLECTION = 'checklist_cards';

/** How many checklist cards each conversation keeps a record of (older cards fall back to a reply). */
export const CARDS_PER_CONVERSATION = 5;

export const cardRefSchema = z.string().regex(/^[0-9a-f]{12}$/);

export interface ChecklistCard {
  /** The card's reference (in its buttons' data). */
  _id: string;
  userKey: string;
  /** `<channel>:<conversation id>`: a tap from another conversation never updates this card. */
  conversation: string;
  activityId: string;
  /** When it was sent (ISO): kept on an update, so Web Chat leaves the card where it was. */
  sentAt: string;
  [key: string]: unknown;
}

export class ChecklistCards {
  private readonly cards: Collection<ChecklistCard>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.cards = store.collection<ChecklistCard>(CHECKLIST_CARDS_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [this.cards.createIndex({ conversation: 1, sentAt: -1 }), this.cards.createIndex({ userKey: 1 })]);

  /** Records a sent card, and forgets this conversation's older ones beyond the last few. */
  async remember(card: { ref: string; userKey: string; conversation: string; activityId: string; sentAt?: Date }): Promise<void> {
    await this.ensureIndexes();
    const ref = cardRefSchema.parse(card.ref);
    const sentAt = (card.sentAt ?? this.clock.now()).toISOString();
    await this.cards.updateOne(
      { _id: ref },
      { $set: { userKey: card.userKey, conversation: card.conversation, activityId: card.activityId, sentAt } },
      { upsert: true },
    );
    const older = await this.cards.find({ conversation: card.conversation }, { sort: { sentAt: -1 }, skip: CARDS_PER_CONVERSATION });
    for (const stale of older) await this.cards.deleteOne({ _id: stale._id });
  }

  /** The card with this reference, if it was sent in this conversation. */
  async find(ref: string, conversation: string): Promise<ChecklistCard | null> {
    if (!cardRefSchema.safeParse(ref).success) return null;
    await this.ensureIndexes();
    return this.cards.findOne({ _id: ref, conversation });
  }

  async eraseFor(userKey: string): Promise<number> {
    return (await this.cards.deleteMany({ userKey })).deletedCount;
  }
}
