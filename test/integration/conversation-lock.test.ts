import { TestAdapter, type TurnContext } from 'botbuilder';
import { ConversationLock } from '../../bot/conversation-lock';
import { systemClock } from '../../services/clock';
import { ConversationLeases } from '../../services/store/conversation-leases';
import { adapters, type OpenedStore } from '../support/stores-under-test';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two "instances" (each its own lock and adapter) sharing one store, as several bot instances do. */
describe.each(adapters)('turns of one conversation across instances (%s store)', (_kind, open) => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened.dispose();
  });

  async function runTurns(conversationId: string, instances: ConversationLock[], turnsEach: number) {
    const events: string[] = [];
    let inside = 0;
    let overlapped = false;
    const turn = async (label: string) => {
      inside += 1;
      if (inside > 1) overlapped = true;
      events.push(`start ${label}`);
      await pause(5);
      events.push(`end ${label}`);
      inside -= 1;
    };
    await Promise.all(
      instances.flatMap((lock, instance) =>
        Array.from({ length: turnsEach }, async (_, n) => {
          const adapter = new TestAdapter(async () => undefined);
          adapter.use(lock);
          const logic = (_context: TurnContext) => turn(`${instance}.${n}`);
          await adapter.processActivity(
            { type: 'message', text: 'hi', channelId: 'test', conversation: { id: conversationId, isGroup: false, conversationType: '', name: '' } } as never,
            logic,
          );
        }),
      ),
    );
    return { events, overlapped };
  }

  it('never runs two turns of one conversation at once', async () => {
    const leases = () => new ConversationLeases(opened.store, systemClock);
    const { events, overlapped } = await runTurns('shared', [new ConversationLock(leases()), new ConversationLock(leases())], 4);
    expect(overlapped).toBe(false);
    expect(events).toHaveLength(16);
  });

  it('would overlap without the shared lease (so the test above can fail)', async () => {
    const { overlapped } = await runTurns('unshared', [new ConversationLock(), new ConversationLock()], 4);
    expect(overlapped).toBe(true);
  });

  it('takes over a lease whose holder crashed once it runs out', async () => {
    // A clock moved by hand: with real time a busy machine can let a 50 ms lease lapse between two calls.
    let now = Date.parse('2026-01-05T10:00:00Z');
    const leases = new ConversationLeases(opened.store, { now: () => new Date(now) });
    expect(await leases.tryAcquire('test/crashed', 30_000)).not.toBeNull();
    now += 29_999;
    expect(await leases.tryAcquire('test/crashed', 30_000)).toBeNull();
    now += 1;
    const holder = await leases.tryAcquire('test/crashed', 30_000);
    expect(holder).not.toBeNull();
    expect(await leases.tryAcquire('test/crashed', 30_000)).toBeNull();
    await leases.release('test/crashed', holder!);
    expect(await leases.tryAcquire('test/crashed', 30_000)).not.toBeNull();
  });
});
