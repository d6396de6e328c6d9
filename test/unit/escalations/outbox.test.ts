import { drainOutbox, enqueueMessage, OutboxRepository } from '../../../services/outbox';
import { FakeClock, FakeMessenger, openTestStore, reference, silentLogger, storeKinds } from '../../support/safeguarding';

describe.each(storeKinds)('outbox on the %s store', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let outbox: OutboxRepository;
  let clock: FakeClock;
  const random = () => 0.5;

  beforeEach(async () => {
    opened = await openTestStore(kind);
    outbox = new OutboxRepository(opened.store);
    clock = new FakeClock();
  });
  afterEach(() => opened.close());

  const enqueue = (key: string, maxAttempts?: number) =>
    enqueueMessage(
      { outbox, clock },
      { idempotencyKey: key, topic: 'test', subjectId: 's1', recipientKey: 'adviser:a', recipient: reference('c1'), message: { text: 'hello', card: { $schema: 'x', type: 'AdaptiveCard' } }, maxAttempts },
    );

  it('enqueues once per idempotency key', async () => {
    expect(await enqueue('k1')).toEqual({ id: 'k1', created: true });
    expect(await enqueue('k1')).toEqual({ id: 'k1', created: false });
    expect(await outbox.list()).toHaveLength(1);
  });

  it('retries a failing messenger with backoff and delivers exactly once', async () => {
    await enqueue('k1');
    const messenger = new FakeMessenger().failNext(3);
    const run = () => drainOutbox({ outbox, clock }, { messenger, random, logger: silentLogger });

    expect(await run()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    // Not due yet: backoff holds it back.
    expect(await run()).toMatchObject({ claimed: 0 });
    let row = await outbox.get('k1');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: { kind: 'RetryableSendError', status: 502 } });
    const firstWait = Date.parse(row!.nextAttemptAt) - clock.now().getTime();
    expect(firstWait).toBeGreaterThan(0);

    clock.advance(firstWait);
    expect(await run()).toMatchObject({ retried: 1 });
    row = await outbox.get('k1');
    const secondWait = Date.parse(row!.nextAttemptAt) - clock.now().getTime();
    expect(secondWait).toBeGreaterThan(firstWait); // exponential

    clock.advance(secondWait);
    await run();
    clock.advanceMinutes(10);
    expect(await run()).toMatchObject({ sent: 1 });
    clock.advanceMinutes(60);
    expect(await run()).toMatchObject({ claimed: 0 });

    expect(messenger.attempts).toBe(4);
    expect(messenger.sent).toHaveLength(1);
    expect(messenger.sent[0]).toMatchObject({ idempotencyKey: 'k1', message: { text: 'hello', card: { $schema: 'x' } } });
    expect(await outbox.get('k1')).toMatchObject({ status: 'sent', attempts: 4, message: null });
  });

  it('stops after the bounded attempts and keeps the row visible as failed', async () => {
    await enqueue('k1', 3);
    const messenger = new FakeMessenger().failNext(10);
    const undeliverable: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await drainOutbox(
        { outbox, clock },
        { messenger, random, hooks: { onUndeliverable: async (row, reason) => void undeliverable.push(`${row._id}:${reason}`) } },
      );
      clock.advanceMinutes(60);
    }
    expect(messenger.attempts).toBe(3);
    expect(await outbox.list({ status: 'failed' })).toEqual([
      expect.objectContaining({ _id: 'k1', failureReason: 'attempts-exhausted', attempts: 3 }),
    ]);
    expect(undeliverable).toEqual(['k1:attempts-exhausted']);
  });

  it('marks a dead reference failed at once', async () => {
    await enqueue('k1');
    const messenger = new FakeMessenger().deadNext();
    expect(await drainOutbox({ outbox, clock }, { messenger, random })).toMatchObject({ failed: 1 });
    expect(await outbox.get('k1')).toMatchObject({ status: 'failed', failureReason: 'dead-reference', lastError: { status: 403 } });
  });

  it('raises a shared throttle flag on 429 and waits it out without spending an attempt', async () => {
    await enqueue('k1');
    await enqueue('k2');
    const messenger = new FakeMessenger().throttleNext(30_000);
    const first = await drainOutbox({ outbox, clock }, { messenger, random });
    expect(first).toMatchObject({ throttled: true, claimed: 1, sent: 0 });
    expect((await outbox.throttledUntil())!.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 30_000);

    // Another instance's sweep honours the flag.
    const other = new OutboxRepository(opened.store);
    expect(await drainOutbox({ outbox: other, clock }, { messenger, random })).toMatchObject({ throttled: true, claimed: 0 });

    clock.advanceMinutes(2);
    const after = await drainOutbox({ outbox, clock }, { messenger, random });
    expect(after).toMatchObject({ sent: 2, throttled: false });
    expect(await outbox.get('k1')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('survives a crash mid-sweep: the lease expires, the rest is sent, nothing twice', async () => {
    for (const key of ['a', 'b', 'c']) await enqueue(key);
    // Instance 1 claims two rows, sends the first and records it, then dies before the second send.
    const crashed = await outbox.claimNext(clock.now(), 60_000);
    await outbox.markSent(crashed!, clock.now());
    const orphan = await outbox.claimNext(clock.now(), 60_000);
    expect(orphan).not.toBeNull();

    const messenger = new FakeMessenger();
    // Instance 2, while the lease holds: only the unclaimed row.
    expect(await drainOutbox({ outbox, clock }, { messenger, random })).toMatchObject({ sent: 1 });
    // After the lease expires: the orphan too.
    clock.advance(60_001);
    expect(await drainOutbox({ outbox, clock }, { messenger, random })).toMatchObject({ sent: 1 });
    clock.advanceMinutes(10);
    expect(await drainOutbox({ outbox, clock }, { messenger, random })).toMatchObject({ claimed: 0 });

    const delivered = messenger.sent.map((sent) => sent.idempotencyKey).sort();
    // Everything but the row the crashed instance had already sent, each exactly once.
    expect(delivered).toEqual(['a', 'b', 'c'].filter((key) => key !== crashed!._id));
    expect(await outbox.list({ status: 'sent' })).toHaveLength(3);
  });

  it('fences a stale claimer: its late outcome changes nothing', async () => {
    await enqueue('k1');
    const stale = await outbox.claimNext(clock.now(), 1_000);
    clock.advance(1_001);
    const fresh = await outbox.claimNext(clock.now(), 60_000);
    expect(fresh!.leaseId).not.toBe(stale!.leaseId);
    expect(await outbox.markSent(stale!, clock.now())).toBe(false);
    expect(await outbox.release(stale!, clock.now(), clock.now(), null)).toBe(false);
    expect(await outbox.markSent(fresh!, clock.now())).toBe(true);
  });

  it('never lets two concurrent sweeps send the same row', async () => {
    for (let i = 0; i < 12; i += 1) await enqueue(`k${i}`);
    const messenger = new FakeMessenger();
    await Promise.all([0, 1, 2].map(() => drainOutbox({ outbox: new OutboxRepository(opened.store), clock }, { messenger, random })));
    const keys = messenger.sent.map((sent) => sent.idempotencyKey);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  });
});
