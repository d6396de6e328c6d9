import type { CloudAdapter } from 'botbuilder';
import { DEAD_REFERENCE_403_CODES, ProactiveMessenger } from '../../../bot/proactive-messenger';
import { escalationDeliveryHooks, raiseConcern } from '../../../services/escalations';
import { DeadReferenceError, RetryableSendError } from '../../../services/messaging/messenger';
import { drainOutbox } from '../../../services/outbox';
import { escalationHarness, openTestStore, reference, type Harness } from '../../support/safeguarding';

function channelError(status: number, code?: string) {
  const error = new Error('channel error') as Error & Record<string, unknown>;
  error.statusCode = status;
  error.response = { status, bodyAsText: code ? JSON.stringify({ error: { code, message: 'fictional' } }) : '', headers: { get: () => undefined } };
  return error;
}

/** A fake channel behind the real ProactiveMessenger: fails with the queued errors, then accepts. */
function fakeChannel() {
  const failures: unknown[] = [];
  const delivered: string[] = [];
  const adapter = {
    continueConversationAsync: async (_appId: string, ref: { conversation: { id: string } }, logic: (context: unknown) => Promise<void>) => {
      const failure = failures.shift();
      if (failure) throw failure;
      await logic({ sendActivity: async () => void delivered.push(ref.conversation.id) });
    },
  } as unknown as CloudAdapter;
  return { messenger: new ProactiveMessenger(adapter, 'app-id'), failures, delivered };
}

describe('a 403 from the channel', () => {
  it.each([...DEAD_REFERENCE_403_CODES])('403 %s means the bot was removed or blocked: the reference is dead', async (code) => {
    const channel = fakeChannel();
    channel.failures.push(channelError(403, code));
    await expect(channel.messenger.send(reference('c'), { text: 'x' })).rejects.toBeInstanceOf(DeadReferenceError);
  });

  it.each([['BotDisabledByAdmin'], ['NotEnoughPermissions'], ['InvalidBotApiHost'], [undefined]])('403 %s is retried, not treated as dead', async (code) => {
    const channel = fakeChannel();
    channel.failures.push(channelError(403, code));
    const failure = await channel.messenger.send(reference('c'), { text: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryableSendError);
    expect(failure).toMatchObject({ status: 403, throttled: false });
  });

  describe('on an escalation notice', () => {
    let opened: Awaited<ReturnType<typeof openTestStore>>;
    let h: Harness;
    beforeEach(async () => {
      opened = await openTestStore('embedded');
      h = escalationHarness(opened.store);
      h.owners.set('test:young-person-403', 'pa-alex');
      await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
      await h.references.register('duty-kim', '29:duty-kim', reference('a:duty-kim'));
    });
    afterEach(() => opened.close());

    const raise = () =>
      raiseConcern(h.deps, {
        userKey: 'test:young-person-403',
        conversationKey: 'test:conversation-403',
        severity: 'urgent',
        category: 'suicide_self_harm',
        messageText: 'fictional crisis message for tests',
      });
    const drain = (messenger: ProactiveMessenger) =>
      drainOutbox({ outbox: h.outbox, clock: h.clock }, { messenger, random: () => 0.5, hooks: escalationDeliveryHooks(h.deps) });

    it('another 403 keeps the adviser reference and is retried with backoff until it goes through', async () => {
      const raised = await raise();
      const channel = fakeChannel();
      channel.failures.push(channelError(403, 'BotDisabledByAdmin'), channelError(403));

      expect(await drain(channel.messenger)).toMatchObject({ retried: 1, failed: 0 });
      expect(await h.references.referenceFor('pa-alex')).toMatchObject({ conversation: { id: 'a:pa-alex' } });
      const row = (await h.outbox.list({ subjectId: raised.escalation._id }))[0]!;
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: { kind: 'RetryableSendError', status: 403 } });
      const firstWait = Date.parse(row.nextAttemptAt) - h.clock.now().getTime();
      expect(firstWait).toBeGreaterThan(0);
      // Not before the backoff has passed.
      expect(await drain(channel.messenger)).toMatchObject({ claimed: 0 });

      h.clock.advance(firstWait);
      expect(await drain(channel.messenger)).toMatchObject({ retried: 1 });
      h.clock.advanceMinutes(10);
      expect(await drain(channel.messenger)).toMatchObject({ sent: 1, failed: 0 });
      expect(channel.delivered).toEqual(['a:pa-alex']);
      expect(await h.references.referenceFor('pa-alex')).not.toBeNull();
      expect(await h.deps.escalations.get(raised.escalation._id)).toMatchObject({ status: 'notified' });
    });

    it('403 MessageWritesBlocked forgets the reference and the duty team is told', async () => {
      const raised = await raise();
      const channel = fakeChannel();
      channel.failures.push(channelError(403, 'MessageWritesBlocked'));
      expect(await drain(channel.messenger)).toMatchObject({ failed: 1 });
      expect(await h.references.referenceFor('pa-alex')).toBeNull();
      await drain(channel.messenger); // the duty fallback may already have gone in the same run
      expect(channel.delivered).toEqual(['a:duty-kim']);
      expect(await h.deps.escalations.get(raised.escalation._id)).toMatchObject({ dutyAccess: true });
    });
  });
});
