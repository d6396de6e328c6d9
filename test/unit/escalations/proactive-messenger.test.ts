import type { CloudAdapter } from 'botbuilder';
import { describeChannelError, ProactiveMessenger, storedReferenceOf } from '../../../bot/proactive-messenger';
import { DeadReferenceError, PermanentSendError, RetryableSendError } from '../../../services/messaging/messenger';
import { reference } from '../../support/safeguarding';

function restError(status: number | undefined, body?: unknown, headers: Record<string, string> = {}, code?: string) {
  const error = new Error('channel error') as Error & Record<string, unknown>;
  if (status !== undefined) error.statusCode = status;
  if (code) error.code = code;
  error.response = { status, bodyAsText: body === undefined ? undefined : JSON.stringify(body), headers: { get: (name: string) => headers[name.toLowerCase()] } };
  return error;
}

function adapterThatThrows(error: unknown): CloudAdapter {
  return { continueConversationAsync: async () => Promise.reject(error) } as unknown as CloudAdapter;
}

describe('ProactiveMessenger', () => {
  it.each([
    [429, RetryableSendError],
    [412, RetryableSendError],
    [502, RetryableSendError],
    [504, RetryableSendError],
    [503, RetryableSendError],
    // On Teams a 500, and a 403 without one of the documented "removed or blocked" codes, are not
    // retried, as Microsoft's status-code table says (see channel-403.test.ts).
    [500, PermanentSendError],
    [403, PermanentSendError],
    [404, DeadReferenceError],
    [400, PermanentSendError],
    [401, PermanentSendError],
  ])('maps Teams HTTP %i to %p', async (status, type) => {
    const messenger = new ProactiveMessenger(adapterThatThrows(restError(status)), undefined);
    await expect(messenger.send(reference('c'), { text: 'x' })).rejects.toBeInstanceOf(type);
  });

  it('maps network failures to retryable', async () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const messenger = new ProactiveMessenger(adapterThatThrows(error), undefined);
    await expect(messenger.send(reference('c'), { text: 'x' })).rejects.toBeInstanceOf(RetryableSendError);
  });

  it('reads Teams error codes and Retry-After', async () => {
    expect(describeChannelError(restError(403, { error: { code: 'MessageWritesBlocked' } }))).toEqual({ status: 403, code: 'MessageWritesBlocked', retryAfterMs: null });
    expect(describeChannelError(restError(429, undefined, { 'retry-after': '7' }))).toMatchObject({ status: 429, retryAfterMs: 7000 });
    const messenger = new ProactiveMessenger(adapterThatThrows(restError(429, undefined, { 'retry-after': '3' })), undefined);
    const failure = await messenger.send(reference('c'), { text: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryableSendError);
    expect(failure).toMatchObject({ throttled: true, retryAfterMs: 3000 });
  });

  it('sends the card as an Adaptive Card attachment with the text as fallback, once per idempotency key', async () => {
    const sent: unknown[] = [];
    const adapter = {
      continueConversationAsync: async (_appId: string, _ref: unknown, logic: (context: unknown) => Promise<void>) =>
        logic({ sendActivity: async (activity: unknown) => void sent.push(activity) }),
    } as unknown as CloudAdapter;
    const messenger = new ProactiveMessenger(adapter, 'app-id');
    await messenger.send(reference('c'), { text: 'fallback', card: { type: 'AdaptiveCard', version: '1.5' } }, { idempotencyKey: 'k' });
    await messenger.send(reference('c'), { text: 'fallback', card: { type: 'AdaptiveCard', version: '1.5' } }, { idempotencyKey: 'k' });
    expect(sent).toEqual([
      expect.objectContaining({
        type: 'message',
        text: 'fallback',
        attachments: [expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5' } })],
      }),
    ]);
  });

  it('stores references without names', () => {
    const stored = storedReferenceOf({
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.invalid/',
      conversation: { id: 'a:1', name: 'Chat name', tenantId: 't', conversationType: 'personal', isGroup: false },
      user: { id: '29:1', name: 'Fictional Person', aadObjectId: 'aad-1' },
      bot: { id: '28:bot', name: 'Tribe' },
    });
    expect(JSON.stringify(stored)).not.toMatch(/Chat name|Fictional Person|"name"/);
    expect(stored).toMatchObject({ conversation: { id: 'a:1', tenantId: 't' }, user: { id: '29:1', aadObjectId: 'aad-1' }, bot: { id: '28:bot' } });
  });
});
