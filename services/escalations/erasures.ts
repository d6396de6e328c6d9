import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';

/**
 * Who deleted their data, and when, by a one-way hash of their key: so that a concern spooled to
 * disk before the deletion (the store was down) and replayed after it comes back the way deletion
 * leaves an open concern: without their words and with no link to them.
 */
export const ERASURES_COLLECTION = 'erasures';

interface ErasureDoc {
  _id: string;
  at: string;
  [key: string]: unknown;
}

/** The one-way stand-in for a person's key once they deleted their data. */
export function erasedKeyOf(userKey: string): string {
  return `erased:${createHash('sha256').update(`tribe-erased:${userKey}`).digest('hex').slice(0, 24)}`;
}

export class Erasures {
  private readonly erasures: Collection<ErasureDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.erasures = store.collection<ErasureDoc>(ERASURES_COLLECTION);
  }

  async record(userKey: string): Promise<void> {
    await this.erasures.updateOne({ _id: erasedKeyOf(userKey) }, { $set: { at: this.clock.now().toISOString() } }, { upsert: true });
  }

  /** When `userKey` last deleted their data, or null. */
  async erasedAt(userKey: string): Promise<string | null> {
    return (await this.erasures.findOne({ _id: erasedKeyOf(userKey) }))?.at ?? null;
  }
}
