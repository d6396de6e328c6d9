import { AutoSaveStateMiddleware, ConversationState, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { Dialog, DialogSet, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { DocumentStateStorage, ETagConflictError, FingerprintedConversationState, FingerprintedUserState } from '../../bot/state-storage';
import type { DocumentStore } from '../../services/store/port';
import { adapters, freshCollectionName, type OpenedStore } from '../support/stores-under-test';

/**
 * Bot Framework `Storage` semantics on both adapters, after botbuilder-js's storageBaseTests:
 * eTags on every read, stale eTags rejected, '*' and no eTag always written.
 */

describe.each(adapters)('DocumentStateStorage on the %s adapter', (_kind, open) => {
  let opened: OpenedStore;
  let store: DocumentStore;
  let collectionName: string;
  let storage: DocumentStateStorage;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.dispose();
  });
  beforeEach(() => {
    collectionName = freshCollectionName('botstate');
    storage = new DocumentStateStorage(store, collectionName);
  });

  it('reads nothing for unknown keys or no keys', async () => {
    expect(await storage.read(['unknown'])).toEqual({});
    expect(await storage.read([])).toEqual({});
  });

  it('rejects missing keys and changes like MemoryStorage, and accepts empty ones', async () => {
    await expect(storage.read(null as never)).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.write(null as never)).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.delete(null as never)).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.write({})).resolves.toBeUndefined();
    await expect(storage.write([] as never)).resolves.toBeUndefined();
    await expect(storage.delete([])).resolves.toBeUndefined();
  });

  it('creates items and returns them with an eTag', async () => {
    await storage.write({ createPoco: { id: 1 }, createPocoStoreItem: { id: 2, eTag: '*' } });
    const read = await storage.read(['createPoco', 'createPocoStoreItem']);
    expect(read.createPoco).toEqual({ id: 1, eTag: expect.any(String) });
    expect(read.createPocoStoreItem).toEqual({ id: 2, eTag: expect.any(String) });
    expect(read.createPoco.eTag).not.toBe(read.createPocoStoreItem.eTag);
  });

  it('stores crazy keys and property names with dots and dollars', async () => {
    const key = '!@#$%^&*()~/\\><,.?\';"`~ conversation.id$';
    const item = { 'a.b': 1, $where: { 'c.d': [1, { $e: 'f' }] }, plain: 'text' };
    await storage.write({ [key]: item });
    expect((await storage.read([key]))[key]).toEqual({ ...item, eTag: expect.any(String) });
  });

  it('stores the state as a JSON string, so the document itself has only safe fields', async () => {
    await storage.write({ k: { 'x.y': 1 } });
    const raw = await store.collection(collectionName).findOne({ _id: 'k' });
    expect(raw).toEqual({ _id: 'k', state: '{"x.y":1}', eTag: expect.any(String), updatedAt: expect.any(Date) });
  });

  it('follows the eTag rules of storageBaseTests.updateObject', async () => {
    await storage.write({ pocoItem: { id: 1, count: 1 }, pocoStoreItem: { id: 1, count: 1 } });
    const loaded = await storage.read(['pocoItem', 'pocoStoreItem']);
    const pocoItem = loaded.pocoItem;
    delete pocoItem.eTag; // a poco item has no eTag
    const pocoStoreItem = loaded.pocoStoreItem;
    const firstETag = pocoStoreItem.eTag;

    pocoItem.count += 1;
    pocoStoreItem.count += 1;
    await storage.write(loaded);
    const reloaded = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(reloaded.pocoItem.count).toBe(2);
    expect(reloaded.pocoStoreItem.count).toBe(2);
    expect(reloaded.pocoStoreItem.eTag).not.toBe(firstETag); // a new eTag on each write

    pocoItem.count = 123; // no eTag: written
    await storage.write({ pocoItem });
    pocoStoreItem.count = 123; // the stale eTag: rejected
    await expect(storage.write({ pocoStoreItem })).rejects.toBeInstanceOf(ETagConflictError);
    const afterConflict = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(afterConflict.pocoItem.count).toBe(123);
    expect(afterConflict.pocoStoreItem.count).toBe(2);

    // The current eTag is accepted, and '*' always is.
    await storage.write({ pocoStoreItem: { ...afterConflict.pocoStoreItem, count: 50 } });
    await storage.write({ pocoStoreItem: { count: 100, eTag: '*' }, pocoItem: { count: 100 } });
    const final = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(final.pocoItem.count).toBe(100);
    expect(final.pocoStoreItem.count).toBe(100);
  });

  it('writes an item that is not stored whatever its eTag, as MemoryStorage does', async () => {
    await storage.write({ fresh: { v: 1, eTag: 'from-somewhere-else' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
  });

  it('writes the other items of a batch when one conflicts', async () => {
    await storage.write({ a: { v: 1 } });
    const stale = (await storage.read(['a'])).a;
    await storage.write({ a: { v: 2 } });
    await expect(storage.write({ a: { ...stale, v: 3 }, b: { v: 1 } })).rejects.toBeInstanceOf(ETagConflictError);
    const read = await storage.read(['a', 'b']);
    expect(read.a.v).toBe(2);
    expect(read.b.v).toBe(1);
  });

  it('deletes items, and ignores unknown keys', async () => {
    await storage.write({ batch1: { count: 10 }, batch2: { count: 20 }, batch3: { count: 30 } });
    expect(Object.keys(await storage.read(['batch1', 'batch2', 'batch3'])).sort()).toEqual(['batch1', 'batch2', 'batch3']);
    await storage.delete(['batch1', 'batch2', 'unknown_key']);
    expect(Object.keys(await storage.read(['batch1', 'batch2', 'batch3']))).toEqual(['batch3']);
  });

  it('lets exactly one of many concurrent writers with the same eTag win', async () => {
    await storage.write({ shared: { writer: -1 } });
    const { eTag } = (await storage.read(['shared'])).shared;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, writer) => storage.write({ shared: { writer, eTag } })),
    );
    const winners = results.flatMap((result, writer) => (result.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ETagConflictError);
    }
    expect((await storage.read(['shared'])).shared.writer).toBe(winners[0]);
  });

  it('lets exactly one of many concurrent first writes with an eTag create the item', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) => storage.write({ created: { writer, eTag: 'guessed' } })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it("never fails concurrent '*' writes, even when they race to create the item", async () => {
    const writes = Array.from({ length: 8 }, (_, writer) => storage.write({ racing: { writer, eTag: '*' } }));
    await expect(Promise.all(writes)).resolves.toBeDefined();
    expect((await storage.read(['racing'])).racing.writer).toEqual(expect.any(Number));
  });

  it.each([
    ['ConversationState', ConversationState],
    ['FingerprintedConversationState', FingerprintedConversationState],
  ])('keeps a waterfall dialog going through %s, across a new state object', async (_name, State) => {
    const runTurns = async (turns: Array<[string, string]>) => {
      const conversationState = new State(storage);
      const dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
      dialogs.add(
        new WaterfallDialog('steps', [
          async (step) => {
            await step.context.sendActivity('step1');
            return Dialog.EndOfTurn;
          },
          async (step) => {
            await step.context.sendActivity('step2');
            return Dialog.EndOfTurn;
          },
          async (step) => {
            await step.context.sendActivity('step3');
            return step.endDialog();
          },
        ]),
      );
      const adapter = new TestAdapter(async (context) => {
        const dc = await dialogs.createContext(context);
        const result = await dc.continueDialog();
        if (result.status === 'empty') await dc.beginDialog('steps');
      }).use(new AutoSaveStateMiddleware(conversationState));
      let flow = adapter.send(turns[0][0]).assertReply(turns[0][1]);
      for (const [says, replies] of turns.slice(1)) flow = flow.send(says).assertReply(replies);
      await flow.startTest();
    };
    await runTurns([
      ['hi', 'step1'],
      ['next', 'step2'],
    ]);
    // A fresh ConversationState (as after a restart) continues from the stored dialog state.
    await runTurns([['next', 'step3']]);
    const stored: StoreItems = await storage.read(['test/conversations/Convo1/']);
    expect(stored['test/conversations/Convo1/']).toEqual(expect.objectContaining({ eTag: expect.any(String) }));
  });

  it('writes fingerprinted state only when it changed, cleared or forced, as BotState does', async () => {
    let writes = 0;
    const counting = Object.assign(Object.create(storage) as DocumentStateStorage, {
      write: async (changes: StoreItems) => {
        writes += 1;
        return storage.write(changes);
      },
    });
    const adapter = new TestAdapter(async () => undefined);
    const turn = () => new TurnContext(adapter, { type: 'message', channelId: 'test', conversation: { id: 'fp' }, from: { id: 'u' }, recipient: { id: 'b' } } as never);
    const state = new FingerprintedConversationState(counting);
    const counter = state.createProperty<number>('counter');

    let context = turn();
    expect(await counter.get(context, 0)).toBe(0);
    await state.saveChanges(context);
    expect(writes).toBe(1); // the default was set: a change
    await state.saveChanges(context);
    expect(writes).toBe(1); // nothing changed since

    context = turn();
    expect(await counter.get(context)).toBe(0);
    await state.saveChanges(context);
    expect(writes).toBe(1); // read back and left alone: no write
    await counter.set(context, 1);
    await state.saveChanges(context);
    expect(writes).toBe(2);
    expect(state.get(context)).toEqual(expect.objectContaining({ counter: 1 }));

    context = turn();
    expect(await counter.get(context)).toBe(1);
    await state.saveChanges(context, true);
    expect(writes).toBe(3); // forced
    await state.clear(context);
    await state.saveChanges(context);
    expect(writes).toBe(4); // cleared
    expect(await counter.get(turn())).toBeUndefined();

    await state.delete(context);
    await new FingerprintedUserState(counting).saveChanges(turn(), true);
    expect(writes).toBe(5); // forced with nothing loaded: an empty item
  });
});
