import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { DuplicateKeyError, type Collection, type Document, type DocumentStore } from '../services/store/port';

/**
 * Bot Framework `Storage` (ConversationState, UserState) on the document-store port, with real
 * optimistic concurrency, as botbuilder's own storage tests expect:
 * - every write gives the item a new eTag, and reads return it;
 * - a write whose eTag is not the stored one is rejected (`ETagConflictError`);
 * - a write with no eTag, or with `'*'` (what BotState sends), always wins;
 * - an item that is not stored is written whatever its eTag (as MemoryStorage does).
 * The item is stored as a JSON string, so keys with '.' or '$' are safe in any adapter.
 */

interface StateDocument extends Document {
  eTag: string;
  state: string;
  updatedAt: Date;
}

export class ETagConflictError extends Error {
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

function parseState(doc: StateDocument): Record<string, unknown> {
  const state: unknown = JSON.parse(doc.state);
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new Error(`Storage: stored state for "${doc._id}" is not an object`);
  }
  return state as Record<string, unknown>;
}

export class DocumentStateStorage implements Storage {
  private readonly items: Collection<StateDocument>;

  constructor(store: DocumentStore, collectionName = 'botstate') {
    this.items = store.collection<StateDocument>(collectionName);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    // One key (the usual case) is an exact _id lookup, which the embedded store answers from its index.
    const docs =
      keys.length === 1
        ? [await this.items.findOne({ _id: keys[0] })].filter((doc): doc is StateDocument => doc !== null)
        : await this.items.find({ _id: { $in: keys } });
    const items: StoreItems = {};
    for (const doc of docs) items[doc._id] = { ...parseState(doc), eTag: doc.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    // Each item stands alone: a conflict on one does not stop the others being written.
    const results = await Promise.allSettled(Object.entries(changes).map(([key, item]) => this.writeItem(key, item)));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.items.deleteMany({ _id: { $in: keys } });
  }

  private async writeItem(key: string, item: StoreItem): Promise<void> {
    if (item === null || typeof item !== 'object') throw new TypeError(`Storage: the item for "${key}" must be an object`);
    const { eTag, ...state } = item;
    const fields = { state: JSON.stringify(state), eTag: randomUUID(), updatedAt: new Date() };

    if (!eTag || eTag === '*') {
      await this.overwrite(key, fields);
      return;
    }
    const { matchedCount } = await this.items.updateOne({ _id: key, eTag }, { $set: fields });
    if (matchedCount === 1) return;
    // Not stored with that eTag: either not stored at all (write it) or changed since (conflict).
    try {
      await this.items.insertOne({ _id: key, ...fields });
    } catch (error) {
      throw error instanceof DuplicateKeyError ? new ETagConflictError(key) : error;
    }
  }

  private async overwrite(key: string, fields: Omit<StateDocument, '_id'>): Promise<void> {
    try {
      await this.items.updateOne({ _id: key }, { $set: fields }, { upsert: true });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      // Two first writes raced to insert; the other inserted, so this one is now a plain update.
      await this.items.updateOne({ _id: key }, { $set: fields });
    }
  }
}
