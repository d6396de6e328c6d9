import type { CloudAdapter } from 'botbuilder';
import { DEAD_REFERENCE_403_CODES, ProactiveMessenger } from '../../../bot/proactive-messenger';
import { escalationDeliveryHooks, raiseConcern } from '../../../services/escalations';
import { DeadReferenceError, PermanentSendError, RetryableSendError } from '../../../services/messaging/messenger';
import { drainOutbox, enqueueMessage } from '../../../services/outbox';
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

/** The same reference on a channel other than Teams. */
function onDirectLine(conversationId: string) {
  return { ...reference(conversationId), channelId: 'directline' };
}

describe('a 403 from the channel', () => {
  it.each([...DEAD_REFERENCE_403_CODES])('403 %s means the bot was blocked, removed or not installed: the reference is dead', async (code) => {
    for (const recipient of [reference('c'), onDirectLine('c')]) {
      const channel = fakeChannel();
      channel.failures.push(channelError(403, code));
      await expect(channel.messenger.send(recipient, { text: 'x' })).rejects.toBeInstanceOf(DeadReferenceError);
    }
  });

  it.each([
    [403, 'BotDisabledByAdmin'],
    [403, 'NotEnoughPermissions'],
    [403, 'InvalidBotApiHost'],
    [403, undefined],
    [500, 'ServiceError'],
  ])('Teams %i %s is not retried (Microsoft says so), and the reference is kept', async (status, code) => {
    const channel = fakeChannel();
    channel.failures.push(channelError(status, code));
    const failure = await channel.messenger.send(reference('c'), { text: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentSendError);
    expect(failure).toMatchObject({ status });
  });

  it.each([[412], [429], [502], [503], [504]])('Teams %i is retried', async (status) => {
    const channel = fakeChannel();
    channel.failures.push(channelError(status));
    await expect(channel.messenger.send(reference('c'), { text: 'x' })).rejects.toBeInstanceOf(RetryableSendError);
  });

  it.each([['BotDisabledByAdmin'], [undefined]])('on another channel a 403 %s is retried, not treated as dead', async (code) => {
    const channel = fakeChannel();
    channel.failures.push(channelError(403, code));
    const failure = await channel.messenger.send(onDirectLine('c'), { text: 'x' }).catch((e: unknown) => e);
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

    it.each([['BotDisabledByAdmin'], ['NotEnoughPermissions'], [undefined]])(
      'another 403 (%s) keeps the adviser reference but fails the notice at once, so the duty team is told now',
      async (code) => {
        const raised = await raise();
        const channel = fakeChannel();
        channel.failures.push(channelError(403, code));

        // One run: the PA's notice fails as 'rejected' (not dead) and the duty fallback goes out
        // in the same run or the next, with no backoff wait.
        expect(await drain(channel.messenger)).toMatchObject({ failed: 1, retried: 0 });
        await drain(channel.messenger);
        expect(channel.delivered).toEqual(['a:duty-kim']);
        const rows = await h.outbox.list({ subjectId: raised.escalation._id });
        expect(rows.find((row) => row.recipientKey === 'adviser:pa-alex')).toMatchObject({
          status: 'failed',
          failureReason: 'rejected',
          attempts: 1,
          lastError: { kind: 'PermanentSendError', status: 403 },
        });
        // The reference is kept: the admin may switch the bot back on.
        expect(await h.references.referenceFor('pa-alex')).toMatchObject({ conversation: { id: 'a:pa-alex' } });
        expect(await h.deps.escalations.get(raised.escalation._id)).toMatchObject({ dutyAccess: true, status: 'notified' });
      },
    );

    /** A nudge (not safeguarding) to the PA at `recipient`, drained once against a channel that answers 403 BotDisabledByAdmin. */
    const drainNudgeAfter403 = async (recipient: ReturnType<typeof reference>) => {
      const channel = fakeChannel();
      channel.failures.push(channelError(403, 'BotDisabledByAdmin'));
      await enqueueMessage(
        { outbox: h.outbox, clock: h.clock },
        { idempotencyKey: 'nudge-403', topic: 'nudge.trusted-adult', subjectId: 's', recipientKey: 'adviser:pa-alex', recipient, message: { text: 'x' } },
      );
      return drainOutbox({ outbox: h.outbox, clock: h.clock }, { messenger: channel.messenger, random: () => 0.5, quietHours: null });
    };

    it('on Teams a 403 on a topic that is not safeguarding fails without retries and keeps the reference', async () => {
      expect(await drainNudgeAfter403(reference('a:pa-alex'))).toMatchObject({
        retried: 0,
        failed: 1,
      });
      expect(await h.outbox.get('nudge-403')).toMatchObject({ status: 'failed', failureReason: 'rejected', attempts: 1 });
      expect(await h.references.referenceFor('pa-alex')).toMatchObject({ conversation: { id: 'a:pa-alex' } });
    });

    it('on another channel a 403 on a topic that is not safeguarding is retried with backoff', async () => {
      expect(await drainNudgeAfter403(onDirectLine('a:pa-alex'))).toMatchObject({
        retried: 1,
        failed: 0,
      });
      expect(await h.outbox.get('nudge-403')).toMatchObject({ status: 'pending', attempts: 1, lastError: { kind: 'RetryableSendError', status: 403 } });
    });

    it('on another channel a retryable 403 on a safeguarding notice fails at once, so the duty team is told now', async () => {
      await h.references.register('pa-alex', '29:pa-alex', onDirectLine('a:pa-alex'));
      const raised = await raise();
      const channel = fakeChannel();
      channel.failures.push(channelError(403, 'BotDisabledByAdmin'));
      expect(await drain(channel.messenger)).toMatchObject({ failed: 1, retried: 0 });
      await drain(channel.messenger);
      expect(channel.delivered).toEqual(['a:duty-kim']);
      const rows = await h.outbox.list({ subjectId: raised.escalation._id });
      expect(rows.find((row) => row.recipientKey === 'adviser:pa-alex')).toMatchObject({ failureReason: 'rejected', lastError: { kind: 'RetryableSendError', status: 403 } });
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
