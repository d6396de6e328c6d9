import { randomUUID } from 'node:crypto';
import { type BotState, ConversationState, type Storage, type StoreItem, type StoreItems, type TurnContext, UserState } from 'botbuilder';
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

/** The JSON text each item was read from: already the `fingerprint` of what was read. */
const storedText = new WeakMap<object, string>();

/** The JSON text an item is about to be written as, when the caller has just made it (`saveState`). */
const textToWrite = new WeakMap<object, string>();

/** An item's state as stored: everything but its eTag. */
function stateText(item: StoreItem): string {
  const text = textToWrite.get(item);
  if (text !== undefined) return text;
  const { eTag: _eTag, ...state } = item;
  return JSON.stringify(state);
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
    for (const doc of docs) {
      const item = parseState(doc);
      item.eTag = doc.eTag;
      storedText.set(item, doc.state);
      items[doc._id] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    // One item (what BotState writes) needs no gathering of outcomes.
    if (keys.length === 1) return this.writeItem(keys[0]!, changes[keys[0]!]);
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
    const eTag = item.eTag as string | undefined;
    const fields = { state: stateText(item), eTag: randomUUID(), updatedAt: new Date() };

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

/**
 * BotState decides whether to write by hashing the state three times a turn (on load, before
 * saving and after): botbuilder's own deterministic stringify and then SHA-256, about 4% of a
 * Tribe turn's CPU under bench/turns. The JSON text the store keeps is an exact enough fingerprint (at worst a reordered
 * key means one extra write) and costs a native JSON.stringify. Everything else is BotState's:
 * the same turn cache entry `{ state, hash }`, so `get`, `clear` and `delete` work unchanged, and
 * the same writes, with eTag '*'.
 */
function fingerprint(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

interface CachedState {
  state: Record<string, unknown>;
  hash: string;
}

/** BotState keeps its turn cache under a private symbol; the subclasses below use the same entry. */
function cacheKeyOf(botState: BotState): symbol {
  return (botState as unknown as { stateKey: symbol }).stateKey;
}

async function loadState(botState: BotState, storage: Storage, key: string, context: TurnContext, force: boolean): Promise<Record<string, unknown>> {
  const cacheKey = cacheKeyOf(botState);
  const cached = context.turnState.get(cacheKey) as CachedState | undefined;
  if (!force && cached?.state) return cached.state;
  const items = await storage.read([key]);
  const state = (items[key] as Record<string, unknown> | undefined) ?? {};
  context.turnState.set(cacheKey, { state, hash: storedText.get(state) ?? fingerprint(state) } satisfies CachedState);
  return state;
}

async function saveState(botState: BotState, storage: Storage, key: () => Promise<string>, context: TurnContext, force: boolean): Promise<void> {
  const cacheKey = cacheKeyOf(botState);
  const cached = context.turnState.get(cacheKey) as CachedState | undefined;
  const now = cached ? fingerprint(cached.state) : '';
  if (!force && (!cached || cached.hash === now)) return;
  const entry = cached ?? { state: {}, hash: '' };
  entry.state.eTag = '*';
  // The text just compared is the text to store: DocumentStateStorage need not make it again.
  if (cached) textToWrite.set(entry.state, now);
  try {
    await storage.write({ [await key()]: entry.state });
  } finally {
    textToWrite.delete(entry.state);
  }
  entry.hash = cached ? now : fingerprint(entry.state);
  context.turnState.set(cacheKey, entry);
}

/** ConversationState with a cheap change check (see `fingerprint`). */
export class FingerprintedConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    return loadState(this, this.storage, await this.storageKey(context), context, force);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveState(this, this.storage, async () => this.storageKey(context), context, force);
  }
}

/** UserState with a cheap change check (see `fingerprint`). */
export class FingerprintedUserState extends UserState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    return loadState(this, this.storage, await this.storageKey(context), context, force);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveState(this, this.storage, async () => this.storageKey(context), context, force);
  }
}
