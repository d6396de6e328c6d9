import { TurnContext, type ConversationReference } from 'botbuilder';
import { DirectLine, type Activity as DirectLineActivity } from 'botframework-directlinejs';
import WebSocket from 'ws';
import { ConversationRegistry } from '../../bot/directline/conversations';
import { TokenService } from '../../bot/directline/tokens';
import { startTestApp, type RunningTestApp } from '../support/test-app';

/**
 * The local Direct Line channel, driven by Microsoft's own client (Direct Line JS) over the
 * WebSocket stream and over polling, plus the bad input it must refuse while it keeps serving.
 */

// Direct Line JS is written for browsers: on Node it needs XMLHttpRequest and WebSocket globals.
const globals = globalThis as Record<string, unknown>;
const saved = { XMLHttpRequest: globals.XMLHttpRequest, WebSocket: globals.WebSocket };
globals.XMLHttpRequest = require('xhr2');
globals.WebSocket = WebSocket;

/** What the stream carries; Direct Line JS's own type leaves out `replyToId`. */
type Seen = DirectLineActivity & { replyToId?: string; text?: string };

interface Token {
  conversationId: string;
  token: string;
  expires_in: number;
}

describe('local Direct Line channel', () => {
  let running: RunningTestApp;
  let base: string;
  const clients: DirectLine[] = [];

  const turnErrors: string[] = [];

  beforeAll(async () => {
    running = await startTestApp();
    base = running.baseUrl;
    // A failed turn is apologised for in the chat, which would still look like "a reply": record them.
    const apologise = running.app.adapter.onTurnError;
    running.app.adapter.onTurnError = async (turn, error) => {
      turnErrors.push(`${error.name}: ${error.message.split('\n')[0]}`);
      await apologise?.(turn, error);
    };
  });
  afterAll(async () => {
    clients.forEach((client) => client.end());
    await running.stop();
    globals.XMLHttpRequest = saved.XMLHttpRequest;
    globals.WebSocket = saved.WebSocket;
  });

  /** The bot's serviceUrl: the connector API under its secret path. */
  const connector = (): string => running.app.directLine!.serviceUrl();

  const generate = async (userId = `u_${Math.random().toString(16).slice(2)}`): Promise<Token & { userId: string }> => {
    const response = await fetch(`${base}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
    });
    expect(response.status).toBe(200);
    return { ...((await response.json()) as Token), userId };
  };

  const client = (token: string, webSocket: boolean) => {
    const directLine = new DirectLine({ token, domain: `${base}/v3/directline`, webSocket, pollingInterval: 200 });
    clients.push(directLine);
    const seen: Seen[] = [];
    const waiters: Array<() => void> = [];
    directLine.activity$.subscribe({
      next: (activity) => {
        seen.push(activity);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: () => undefined, // `end()` at tear-down errors the stream with "conversation ended"
    });
    const waitFor = (predicate: (a: Seen) => boolean, what: string, ms = 10_000) =>
      new Promise<Seen>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${seen.length} activities`)), ms);
        const check = () => {
          const found = seen.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    const post = (activity: Record<string, unknown>) =>
      new Promise<string>((resolve, reject) => {
        directLine.postActivity(activity as unknown as DirectLineActivity).subscribe({ next: resolve, error: reject });
      });
    return { directLine, seen, waitFor, post };
  };

  const api = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return fetch(`${base}${path}`, { ...init, headers });
  };
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  it.each([
    ['the WebSocket stream', true],
    ['polling', false],
  ])('carries a message to the bot and its reply back, over %s', async (_name, webSocket) => {
    const { token, userId } = await generate();
    const chat = client(token, webSocket);

    const id = await chat.post({ type: 'message', from: { id: userId }, text: 'hello', channelData: { clientActivityID: 'client-1' } });
    expect(id).toMatch(/\|\d{7}$/);

    // The channel echoes the user's own activity, with Web Chat's clientActivityID intact.
    const echo = await chat.waitFor((a) => a.id === id, 'the echo');
    expect(echo).toMatchObject({ type: 'message', from: { id: userId, role: 'user' }, channelData: { clientActivityID: 'client-1' } });

    const reply = await chat.waitFor((a) => a.type === 'message' && a.from.role === 'bot' && a.replyToId === id, "the bot's reply");
    expect(reply.text ?? '').not.toBe('');
    expect(reply.conversation?.id).toBe(echo.conversation?.id);
  });

  it('binds the user id to the token, whatever from.id the client claims', async () => {
    const { token, userId, conversationId } = await generate();
    await api('/v3/directline/conversations', { method: 'POST', token });
    const posted = await api(`/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'someone-else' }, text: 'hi' }),
    });
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    const log = await api(`/v3/directline/conversations/${conversationId}/activities?watermark=`, { token });
    const { activities } = (await log.json()) as { activities: Array<{ id: string; from: { id: string } }> };
    expect(activities.find((a) => a.id === id)?.from.id).toBe(userId);
    // The serviceUrl carries the connector API's secret path: only the bot sees it.
    expect(activities.filter((a) => 'serviceUrl' in a)).toEqual([]);
  });

  it('refreshes tokens and reconnects from a watermark with a fresh streamUrl', async () => {
    const { token, userId, conversationId } = await generate();
    const start = await api('/v3/directline/conversations', { method: 'POST', token });
    expect(start.status).toBe(201);
    expect(await start.json()).toMatchObject({ conversationId, token, streamUrl: expect.stringMatching(/^ws:\/\//) });

    const refreshed = await api('/v3/directline/tokens/refresh', { method: 'POST', token });
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as Token;
    expect(fresh).toMatchObject({ conversationId, expires_in: expect.any(Number) });
    expect(fresh.token).not.toBe(token);

    const send = (text: string) =>
      api(`/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        token: fresh.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', from: { id: userId }, text }),
      });
    expect((await send('one')).status).toBe(200);
    const { watermark } = (await (await api(`/v3/directline/conversations/${conversationId}/activities`, { token: fresh.token })).json()) as {
      watermark: string;
    };
    const second = (await (await send('two')).json()) as { id: string };

    const again = await api(`/v3/directline/conversations/${conversationId}?watermark=${watermark}`, { token: fresh.token });
    expect(again.status).toBe(200);
    const { streamUrl } = (await again.json()) as { streamUrl: string };
    const first = await new Promise<{ activities: Array<{ id: string }> }>((resolve, reject) => {
      const socket = new WebSocket(streamUrl);
      socket.once('message', (data) => {
        resolve(JSON.parse(String(data)));
        socket.close();
      });
      socket.once('error', reject);
    });
    // Only what came after the watermark: the second message and the bot's replies to it.
    expect(first.activities[0].id).toBe(second.id);

    // A stream token works once.
    const reused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(streamUrl);
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => resolve(101));
    });
    expect(reused).toBe(403);
  });

  describe('refuses bad input clearly and keeps serving', () => {
    let mine: Token & { userId: string };
    let theirs: Token & { userId: string };
    beforeAll(async () => {
      mine = await generate();
      theirs = await generate();
    });
    const postTo = (conversationId: string, body: string, init: { token?: string; contentType?: string; authorization?: string } = {}) => {
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.authorization) headers.authorization = init.authorization;
      return fetch(`${base}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers, body });
    };
    const message = JSON.stringify({ type: 'message', from: { id: 'u_x' }, text: 'hi' });

    it.each([
      ['no token', () => postTo(mine.conversationId, message), 401, 'MissingToken'],
      ['a malformed Authorization header', () => postTo(mine.conversationId, message, { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'MalformedAuthorization'],
      ['a wrong token', () => postTo(mine.conversationId, message, { token: 'x'.repeat(43) }), 403, 'InvalidToken'],
      ["another conversation's token", () => postTo(mine.conversationId, message, { token: theirs.token }), 403, 'TokenNotForConversation'],
      ['an unknown conversation', () => postTo('no-such-conversation', message, { token: mine.token }), 404, 'ConversationNotFound'],
      ['malformed JSON', () => postTo(mine.conversationId, '{"type": "mess', { token: mine.token }), 400, undefined],
      ['a wrong content type', () => postTo(mine.conversationId, 'hello', { token: mine.token, contentType: 'text/plain' }), 415, 'UnsupportedMediaType'],
      ['an activity without from', () => postTo(mine.conversationId, JSON.stringify({ type: 'message', text: 'hi' }), { token: mine.token }), 400, 'InvalidActivity'],
      ['an activity type a client may not send', () => postTo(mine.conversationId, JSON.stringify({ type: 'invoke', from: { id: 'u_x' } }), { token: mine.token }), 400, 'InvalidActivity'],
      ['an over-long text', () => postTo(mine.conversationId, JSON.stringify({ type: 'message', from: { id: 'u_x' }, text: 'a'.repeat(20_001) }), { token: mine.token }), 400, 'InvalidActivity'],
      ['a bad user id at token generation', () => fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: '<script>' } }) }), 400, 'InvalidBody'],
      ['a bad watermark', () => api(`/v3/directline/conversations/${mine.conversationId}/activities?watermark=abc`, { token: mine.token }), 400, 'InvalidWatermark'],
      ['a refresh without a token', () => api('/v3/directline/tokens/refresh', { method: 'POST' }), 401, 'MissingToken'],
      ['an unknown conversation on the connector API', () => fetch(`${connector()}/v3/conversations/no-such-conversation/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x' }) }), 404, 'ConversationNotFound'],
      ['the connector API without its secret path', () => fetch(`${base}/v3/conversations/${mine.conversationId}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x' }) }), 404, undefined],
      ['the connector API under a wrong key', () => fetch(`${base}/v3/directline/connector/${'k'.repeat(32)}/v3/conversations/${mine.conversationId}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x' }) }), 404, undefined],
      ['a connector activity without type', () => fetch(`${connector()}/v3/conversations/${mine.conversationId}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x' }) }), 400, 'InvalidActivity'],
    ])('%s gets a clear 4xx', async (_name, send, status, code) => {
      const response = await send();
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error?: { code: string; message: string }; code?: string; message?: string };
      const error = body.error ?? { code: body.code ?? '', message: body.message ?? '' };
      expect(error.message).toEqual(expect.any(String));
      if (code) expect(error.code).toBe(code);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });

    it('refuses a stream without a valid stream token', async () => {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${base.replace('http', 'ws')}/v3/directline/conversations/${mine.conversationId}/stream?t=${'y'.repeat(43)}`);
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => resolve(101));
      });
      expect(status).toBe(403);
    });

    it('still carries a conversation after all that', async () => {
      const chat = client(mine.token, true);
      const id = await chat.post({ type: 'message', from: { id: mine.userId }, text: 'still there?' });
      await chat.waitFor((a) => a.from.role === 'bot' && a.replyToId === id, "the bot's reply");
    });
  });

  it('delivers a proactive message, sent with a reference captured from a turn, to an open stream', async () => {
    const captured: Array<Partial<ConversationReference>> = [];
    running.app.adapter.use(async (context, next) => {
      if (context.activity.channelId === 'directline' && context.activity.type === 'message') {
        captured.push(TurnContext.getConversationReference(context.activity));
      }
      await next();
    });
    const { token, userId, conversationId } = await generate();
    const chat = client(token, true);
    const id = await chat.post({ type: 'message', from: { id: userId }, text: 'remember me' });
    await chat.waitFor((a) => a.from.role === 'bot' && a.replyToId === id, "the bot's reply");

    const reference = captured.find((r) => r.conversation?.id === conversationId);
    expect(reference).toBeDefined();
    expect(reference).toMatchObject({ channelId: 'directline', serviceUrl: connector(), user: { id: userId } });
    expect(connector()).toMatch(new RegExp(`^${base}/v3/directline/connector/[\\w-]{32}$`));
    // The same reference is available from the channel itself.
    expect(running.app.directLine?.conversationReference(conversationId)).toMatchObject({ conversation: { id: conversationId }, user: { id: userId } });

    await running.app.adapter.continueConversationAsync('', reference!, async (context) => {
      await context.sendActivity('A proactive hello from the test.');
    });
    const proactive = await chat.waitFor((a) => a.type === 'message' && a.text === 'A proactive hello from the test.', 'the proactive message');
    expect(proactive).toMatchObject({ from: { role: 'bot' }, conversation: { id: conversationId } });
    expect(proactive.replyToId).toBeUndefined();
  });

  it('lets the bot update and delete what it sent, through the connector API', async () => {
    const { token, userId, conversationId } = await generate();
    const chat = client(token, true);
    const id = await chat.post({ type: 'message', from: { id: userId }, text: 'hello' });
    const reply = await chat.waitFor((a) => a.from.role === 'bot' && a.replyToId === id, "the bot's reply");
    const url = `${connector()}/v3/conversations/${conversationId}/activities/${encodeURIComponent(reply.id!)}`;
    const json = { 'content-type': 'application/json' };

    const updated = await fetch(url, { method: 'PUT', headers: json, body: JSON.stringify({ type: 'message', text: 'edited' }) });
    expect(updated.status).toBe(200);
    await chat.waitFor((a) => a.id === reply.id && a.text === 'edited', 'the updated activity');

    expect((await fetch(url, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(404);
    const missing = await fetch(url, { method: 'PUT', headers: json, body: JSON.stringify({ type: 'message', text: 'again' }) });
    expect(missing.status).toBe(404);
    const create = await fetch(`${connector()}/v3/conversations`, { method: 'POST', headers: json, body: '{}' });
    expect(create.status).toBe(501);
    expect(await errorCode(create)).toBe('NotSupported');
  });

  it('serves the Web Chat page and bundle offline, with cache headers', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toContain('<title>Tribe</title>');
    expect(html).toContain('/webchat/webchat.js');

    const bundle = await fetch(`${base}/webchat/webchat.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    const etag = bundle.headers.get('etag')!;
    expect((await fetch(`${base}/webchat/webchat.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    expect((await fetch(`${base}/webchat/tribe-chat.js`)).status).toBe(200);
    expect((await fetch(`${base}/webchat/tribe-chat.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${base}/webchat/..%2Fpackage.json`)).status).toBe(404);
  });

  it('delete my data forgets what the channel kept of that person, and the chat carries on', async () => {
    const { token, userId, conversationId } = await generate();
    await api('/v3/directline/conversations', { method: 'POST', token });
    const say = async (text: string) => {
      const posted = await api(`/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', from: { id: userId }, text }),
      });
      expect(posted.status).toBe(200);
    };
    const kept = async () => {
      const log = await api(`/v3/directline/conversations/${conversationId}/activities?watermark=`, { token });
      return ((await log.json()) as { activities: Array<{ from: { id: string }; text?: string }> }).activities;
    };
    for (const text of ['hi', 'yes', 'Pim']) await say(text);
    const privacy = running.app.directLine!.personalData;
    expect(await privacy.exportFor(`directline:${userId}`)).toEqual(['hi', 'yes', 'Pim']);
    // Someone else's export never holds them.
    expect(await privacy.exportFor('directline:someone-else')).toEqual([]);
    expect(await privacy.exportFor(`webchat:${userId}`)).toEqual([]);

    await say('delete my data');
    await say('Yes, delete it all');
    const left = await kept();
    expect(left.filter((activity) => activity.from.id === userId)).toEqual([]);
    expect(left.map((activity) => activity.text ?? '').join('\n')).not.toContain('Pim');
    expect(await privacy.exportFor(`directline:${userId}`)).toEqual([]);

    await say('hi');
    expect((await kept()).some((activity) => activity.from.id === userId && activity.text === 'hi')).toBe(true);
  });

  it('had no failed turns along the way', () => {
    expect(turnErrors).toEqual([]);
  });
});

describe('local Direct Line shutdown', () => {
  it('closes open streams when the app closes', async () => {
    const running = await startTestApp();
    const token = (await (await fetch(`${running.baseUrl}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as Token;
    const start = await fetch(`${running.baseUrl}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } });
    const { streamUrl } = (await start.json()) as { streamUrl: string };
    const socket = new WebSocket(streamUrl);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    const began = Date.now();
    await running.stop();
    expect(await closed).toBe(1001);
    expect(Date.now() - began).toBeLessThan(15_000); // well under 1 s when idle; room for a busy machine
  });
});

describe('local Direct Line memory bounds', () => {
  it('keeps at most maxActivities per conversation, and the watermark keeps counting', () => {
    const registry = new ConversationRegistry({ maxConversations: 10, maxActivities: 3, maxBytes: 1_000_000, maxListeners: 2, idleMs: 1000 });
    const conversation = registry.create('u_1');
    for (let i = 0; i < 5; i += 1) conversation.append({ type: 'message', text: `m${i}` });
    const kept = conversation.since(undefined);
    expect(kept.activities.map((a) => a.text)).toEqual(['m2', 'm3', 'm4']);
    expect(kept.watermark).toBe('5');
    expect(conversation.since(4).activities.map((a) => a.text)).toEqual(['m4']);
  });

  it('drops old activities past maxBytes', () => {
    const registry = new ConversationRegistry({ maxConversations: 10, maxActivities: 100, maxBytes: 2000, maxListeners: 2, idleMs: 1000 });
    const conversation = registry.create();
    for (let i = 0; i < 10; i += 1) conversation.append({ type: 'message', text: 'x'.repeat(500) });
    expect(conversation.since(undefined).activities.length).toBeLessThanOrEqual(3);
  });

  it('forgets the least recently used conversation past maxConversations, revoking its tokens', () => {
    const tokens = new TokenService({ tokenTtlMs: 60_000, streamTokenTtlMs: 1000, maxTokensPerConversation: 2 });
    const registry = new ConversationRegistry({
      maxConversations: 2,
      maxActivities: 10,
      maxBytes: 10_000,
      maxListeners: 2,
      idleMs: 60_000,
      onEvict: (id) => tokens.revokeConversation(id),
    });
    const a = registry.create();
    const tokenA = tokens.issue(a.id);
    const b = registry.create();
    registry.get(a.id); // a is now the most recently used
    const c = registry.create();
    expect(registry.get(b.id)).toBeUndefined();
    expect(registry.get(a.id)).toBe(a);
    expect(registry.get(c.id)).toBe(c);
    expect(tokens.verify(tokenA)).not.toBeNull();
    registry.create();
    registry.create();
    expect(registry.size).toBe(2);
    expect(tokens.verify(tokenA)).toBeNull();
  });

  it('sweeps idle conversations, expires tokens, and caps tokens per conversation', () => {
    let now = 0;
    const tokens = new TokenService({ tokenTtlMs: 1000, streamTokenTtlMs: 100, maxTokensPerConversation: 2, now: () => now });
    const registry = new ConversationRegistry({ maxConversations: 5, maxActivities: 10, maxBytes: 10_000, maxListeners: 2, idleMs: 500, now: () => now });
    const conversation = registry.create();
    const first = tokens.issue(conversation.id);
    tokens.issue(conversation.id);
    tokens.issue(conversation.id);
    expect(tokens.verify(first)).toBeNull(); // only the two newest are kept
    const stream = tokens.issueStreamToken(conversation.id);
    now = 200;
    expect(tokens.consumeStreamToken(stream)).toBeNull(); // stream tokens are short-lived
    now = 600;
    expect(registry.sweepIdle()).toBe(1);
    expect(registry.size).toBe(0);
    now = 2000;
    tokens.sweep();
    expect(tokens.verify(tokens.issue('other'))).not.toBeNull();
  });
});
