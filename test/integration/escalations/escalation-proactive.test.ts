import { systemClock } from '../../../services/clock';
import { ProfileRepository } from '../../../services/profiles/profile-repository';
import { activity, adviserApi, PA_TOKEN, startSafeguardingApp, turnReplies, type RunningSafeguardingApp } from '../../support/safeguarding';

/**
 * The real proactive path: an adviser links a Direct Line conversation (the built-in local
 * channel), a crisis is raised, the outbox drain sends the card through ProactiveMessenger
 * (continueConversationAsync) and it arrives in the adviser's conversation. Outside Teams the card
 * has no Acknowledge button (Direct Line cannot prove who pressed it): the adviser acknowledges in
 * the console, with their bearer token.
 */
describe('escalation card through the local Direct Line channel', () => {
  let running: RunningSafeguardingApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    running = await startSafeguardingApp({}, { realMessenger: true, logLines });
  });
  afterAll(() => running.stop());

  async function directLine(path: string, token: string, body?: unknown) {
    const response = await fetch(`${running.baseUrl}/v3/directline${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('delivers the Adaptive Card; acknowledging goes through the adviser API, not a Direct Line button', async () => {
    const generated = await fetch(`${running.baseUrl}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'dl_adviser-alex' } }),
    });
    const { token, conversationId } = (await generated.json()) as { token: string; conversationId: string };
    await directLine('/conversations', token, {});

    const link = await adviserApi(running.baseUrl, PA_TOKEN).linkCode();
    const posted = await directLine(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      from: { id: 'dl_adviser-alex' },
      text: link.body.send,
    });
    expect(posted.status).toBe(200);

    // The young person is linked to alex.
    const profiles = new ProfileRepository(running.app.store, systemClock);
    await profiles.giveConsent('test:user-dl-crisis', 'test-v1');
    await profiles.update('test:user-dl-crisis', { adviserId: 'pa-alex' });
    await turnReplies(running.baseUrl, activity('dl-crisis', { text: 'I want to kill myself tonight' }));

    const report = await running.app.safeguarding.drainOnce();
    expect(report).toMatchObject({ sent: 1, failed: 0 });

    const seen = await directLine(`/conversations/${conversationId}/activities`, token);
    const card = seen.body.activities.find((a: any) => a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
    expect(card).toBeDefined();
    expect(card.text).toMatch(/urgent/);
    const actions = card.attachments[0].content.actions as Array<{ type: string }>;
    expect(actions.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    const id = (await adviserApi(running.baseUrl, PA_TOKEN).list()).body.items[0].id as string;
    expect(card.text).toContain(id);

    // The button's data sent by hand from Direct Line is refused politely and changes nothing.
    const pressed = await directLine(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      from: { id: 'dl_adviser-alex' },
      value: { action: 'escalation.acknowledge', id },
    });
    expect(pressed.status).toBe(200);
    const afterPress = await directLine(`/conversations/${conversationId}/activities`, token);
    expect(afterPress.body.activities.map((a: any) => a.text ?? '').join('\n')).toMatch(/Sorry, I can't do that here\. Nothing has changed\./);
    let items = (await adviserApi(running.baseUrl, PA_TOKEN).list()).body.items;
    expect(items.find((i: any) => i.id === id)).toMatchObject({ status: 'notified', acknowledgedBy: null });

    expect((await adviserApi(running.baseUrl, PA_TOKEN).acknowledge(id)).status).toBe(200);
    items = (await adviserApi(running.baseUrl, PA_TOKEN).list()).body.items;
    expect(items.find((i: any) => i.id === id)).toMatchObject({ status: 'acknowledged', notifiedAt: expect.any(String) });

    // Logs (at trace level) carry ids and outcomes, never the message, the link code or a token.
    const logs = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    if (process.env.SHOW_LOGS) process.stdout.write(`${logs}\n`);
    expect(logs).not.toMatch(/kill myself/i);
    expect(logs).not.toContain(link.body.code);
    expect(logs).not.toContain(PA_TOKEN);
  });
});
