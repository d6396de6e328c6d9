import { messageActivity, sendTurn, startTestApp, type RunningTestApp } from '../support/test-app';

describe('HTTP host', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${running.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('answers health and readiness', async () => {
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: 'embedded' });
  });

  it('returns the reply in the body with expectReplies', async () => {
    const replies = await sendTurn(running.baseUrl, messageActivity('hi', 'http-hello'));
    const texts = replies.filter((reply) => reply.type === 'message');
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.map((reply) => reply.text ?? '').join(' ')).toMatch(/Tribe/);
  });

  it('answers a question as the very first message of a new conversation, from published content', async () => {
    const replies = await sendTurn(running.baseUrl, messageActivity('how much is the setting up home allowance', 'http-first-question'));
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    expect(said).toContain('Setting Up Home Allowance');
    expect(said).toContain('£3,000');
    expect(said).toMatch(/Where this comes from/);
  });

  describe('refuses bad input clearly and keeps serving', () => {
    const valid = messageActivity('hi', 'http-bad-input');
    const withoutField = (field: string) => {
      const copy: Record<string, unknown> = { ...valid };
      delete copy[field];
      return JSON.stringify(copy);
    };

    it.each([
      ['malformed JSON', () => post('{"type": "message", '), 400],
      ['a JSON array', () => post('[]'), 400],
      ['a wrong content type', () => post('type=message', 'application/x-www-form-urlencoded'), 415],
      ['plain text', () => post('hello', 'text/plain'), 415],
      ['an activity without conversation', () => post(withoutField('conversation')), 400],
      ['an activity without from', () => post(withoutField('from')), 400],
      ['an activity without type', () => post(withoutField('type')), 400],
      ['a 1 MB body', () => post(JSON.stringify({ ...valid, text: 'a'.repeat(1024 * 1024) })), 413],
    ])('%s gets a 4xx', async (_name, send, status) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(await response.text()).toMatch(/message|code/);
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
    });

    it('names the missing fields', async () => {
      const response = await post(withoutField('conversation'));
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/conversation/);
    });

    it('ignores an unknown activity type without failing', async () => {
      const response = await post(JSON.stringify({ ...messageActivity('', 'http-unknown'), type: 'somethingNew' }));
      expect(response.status).toBeLessThan(300);
      const replies = await sendTurn(running.baseUrl, messageActivity('hi', 'http-unknown'));
      expect(replies.length).toBeGreaterThan(0);
    });

    it('answers GET on the messages route with 405, not a crash', async () => {
      const response = await fetch(`${running.baseUrl}/api/messages`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });
  });
});
