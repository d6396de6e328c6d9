import { isQuietHours, quietHoursEnd } from '../../../services/escalations';
import { NOTICE_TOPIC } from '../../../services/escalations/notify';
import { REMINDER_TOPIC } from '../../../services/entitlements/reminders';
import { drainOutbox, enqueueMessage, OutboxRepository } from '../../../services/outbox';
import { FakeClock, FakeMessenger, openTestStore, reference, silentLogger, storeKinds } from '../../support/safeguarding';

describe('quiet hours, Europe/London (21:00–08:00)', () => {
  it.each([
    // Winter (GMT): London = UTC.
    ['2026-11-23T20:59:00Z', false, null],
    ['2026-11-23T21:00:00Z', true, '2026-11-24T08:00:00.000Z'],
    ['2026-11-23T23:30:00Z', true, '2026-11-24T08:00:00.000Z'],
    ['2026-11-24T03:00:00Z', true, '2026-11-24T08:00:00.000Z'],
    ['2026-11-24T08:00:00Z', false, null],
    // Summer (BST): London = UTC+1, so quiet hours are 20:00Z–07:00Z.
    ['2026-06-10T19:59:00Z', false, null],
    ['2026-06-10T20:00:00Z', true, '2026-06-11T07:00:00.000Z'],
    ['2026-06-11T06:59:00Z', true, '2026-06-11T07:00:00.000Z'],
    // Across a month end and the clocks going back (25 Oct 2026, 02:00 BST → 01:00 GMT).
    ['2026-10-31T22:00:00Z', true, '2026-11-01T08:00:00.000Z'],
    ['2026-10-24T21:30:00Z', true, '2026-10-25T08:00:00.000Z'],
    // The clocks going forward (29 Mar 2026, 01:00 GMT → 02:00 BST).
    ['2026-03-28T22:00:00Z', true, '2026-03-29T07:00:00.000Z'],
  ])('%s quiet=%s, ends %s', (at, quiet, end) => {
    const instant = new Date(at);
    expect(isQuietHours(instant)).toBe(quiet);
    expect(quietHoursEnd(instant).toISOString()).toBe(end ?? instant.toISOString());
  });
});

describe.each(storeKinds)('outbox drain and quiet hours on the %s store', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let outbox: OutboxRepository;

  beforeEach(async () => {
    opened = await openTestStore(kind);
    outbox = new OutboxRepository(opened.store);
  });
  afterEach(() => opened.close());

  const enqueue = (clock: FakeClock, key: string, topic: string) =>
    enqueueMessage({ outbox, clock }, { idempotencyKey: key, topic, subjectId: 's1', recipientKey: 'x:1', recipient: reference('c1'), message: { text: 'fictional' } });

  it('holds reminders and nudges until 08:00 London, never a safeguarding notice, and drops nothing', async () => {
    const clock = new FakeClock('2026-11-23T22:30:00.000Z'); // 22:30 London (GMT)
    await enqueue(clock, 'reminder-1', REMINDER_TOPIC);
    await enqueue(clock, 'nudge-1', 'nudge.trusted-adult');
    await enqueue(clock, 'notice-1', NOTICE_TOPIC);
    const messenger = new FakeMessenger();
    const run = () => drainOutbox({ outbox, clock }, { messenger, random: () => 0.5, logger: silentLogger });

    expect(await run()).toMatchObject({ sent: 1, deferred: 2, failed: 0 });
    expect(messenger.sent.map((s) => s.idempotencyKey)).toEqual(['notice-1']);
    for (const id of ['reminder-1', 'nudge-1']) {
      const row = await outbox.get(id);
      // Deferred to 08:00 plus a spread of at most ten minutes; the claim spent no attempt.
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row!.nextAttemptAt >= '2026-11-24T08:00:00.000Z' && row!.nextAttemptAt <= '2026-11-24T08:10:00.000Z').toBe(true);
    }

    // Through the night: nothing more goes, nothing is claimed again.
    clock.advanceMinutes(60);
    expect(await run()).toMatchObject({ claimed: 0, sent: 0 });
    // A concern raised at 03:00 still goes at once.
    clock.advance(Date.parse('2026-11-24T03:00:00Z') - clock.now().getTime());
    await enqueue(clock, 'notice-2', NOTICE_TOPIC);
    expect(await run()).toMatchObject({ sent: 1, deferred: 0 });
    clock.advance(Date.parse('2026-11-24T07:59:00Z') - clock.now().getTime());
    expect(await run()).toMatchObject({ claimed: 0 });

    clock.advance(Date.parse('2026-11-24T08:10:00Z') - clock.now().getTime());
    expect(await run()).toMatchObject({ sent: 2, deferred: 0 });
    expect(messenger.sent.map((s) => s.idempotencyKey).sort()).toEqual(['notice-1', 'notice-2', 'nudge-1', 'reminder-1']);
    expect(await outbox.get('reminder-1')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('in summer the quiet hours follow BST', async () => {
    const clock = new FakeClock('2026-06-10T20:15:00.000Z'); // 21:15 London (BST)
    await enqueue(clock, 'reminder-2', REMINDER_TOPIC);
    const messenger = new FakeMessenger();
    expect(await drainOutbox({ outbox, clock }, { messenger, random: () => 0 })).toMatchObject({ deferred: 1, sent: 0 });
    expect(await outbox.get('reminder-2')).toMatchObject({ nextAttemptAt: '2026-06-11T07:00:00.000Z' });
  });
});
