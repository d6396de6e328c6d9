import { ProfileRepository } from '../../../services/profiles/profile-repository';
import { userKeyOf } from '../../../services/profiles/profile';
import { systemClock } from '../../../services/clock';
import {
  activity,
  adviserApi,
  CRISIS_NUMBERS,
  DEV_TOKEN,
  PA2_TOKEN,
  PA_TOKEN,
  startSafeguardingApp,
  turnReplies,
  type RunningSafeguardingApp,
} from '../../support/safeguarding';

// Fictional test messages: no real personal data.
const CRISIS = 'I want to kill myself tonight';

describe('escalations over HTTP', () => {
  let running: RunningSafeguardingApp;
  beforeAll(async () => {
    running = await startSafeguardingApp();
    await running.app.warmUp(); // as npm start does: the sentence reading below must not wait for its model to load
  });
  afterAll(() => running.stop());

  const dev = () => adviserApi(running.baseUrl, DEV_TOKEN);
  const alex = () => adviserApi(running.baseUrl, PA_TOKEN);
  const bo = () => adviserApi(running.baseUrl, PA2_TOKEN);

  async function linkToAlex(conversationId: string): Promise<void> {
    const profiles = new ProfileRepository(running.app.store, systemClock);
    const key = userKeyOf('test', `user-${conversationId}`);
    await profiles.giveConsent(key, 'test-v1');
    await profiles.update(key, { adviserId: 'pa-alex' });
  }

  it('a crisis as the first message gets signposting in the same reply and an urgent escalation at once', async () => {
    const replies = await turnReplies(running.baseUrl, activity('first-crisis', { text: CRISIS }));
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
    expect(said).toMatch(/Are you safe right now\?/);

    const listed = await dev().list();
    expect(listed.status).toBe(200);
    const urgent = listed.body.items.filter((item: { severity: string }) => item.severity === 'urgent');
    expect(urgent).toHaveLength(1);
    expect(urgent[0]).toMatchObject({
      id: expect.stringMatching(/^esc-/),
      severity: 'urgent',
      category: 'suicide_self_harm',
      status: 'raised',
      createdAt: expect.any(String),
      owner: { kind: 'duty' },
    });
  });

  it('a medical emergency gets "call 999 for an ambulance" first, the helplines after, and an urgent escalation', async () => {
    const before = (await dev().list()).body.items.length;
    const replies = await turnReplies(running.baseUrl, activity('medical', { text: 'my baby is floppy and wont wake up properly' }));
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    expect(said.indexOf('Call 999 now and ask for an ambulance')).toBeGreaterThanOrEqual(0);
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
    expect(said.indexOf('999')).toBeLessThan(said.indexOf('116 123'));
    // No "Are you safe?": it is often someone else, and "ok" must not be taken as "safe".
    expect(said).not.toMatch(/Are you safe/);
    const items = (await dev().list()).body.items as Array<{ severity: string; category: string; safeCheck?: unknown }>;
    expect(items).toHaveLength(before + 1);
    expect(items.filter((item) => item.category === 'medical_emergency')).toEqual([expect.objectContaining({ severity: 'urgent', status: 'raised' })]);
    await turnReplies(running.baseUrl, activity('medical', { text: 'ok' }));
    const after = ((await dev().list()).body.items as Array<{ category: string; safeCheck?: unknown }>).find((item) => item.category === 'medical_emergency');
    expect(after?.safeCheck ?? null).toBeNull();
  });

  it('a farewell only the sentence reading sees as urgent gets signposting in the same reply and an urgent escalation', async () => {
    const text = "i was going to wait till after christmas but i can't. it's today";
    const before = (await dev().list()).body.items.length;
    const replies = await turnReplies(running.baseUrl, activity('sentence-reading', { text }));
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
    expect(said).toMatch(/Are you safe right now\?/);
    const items = (await dev().list()).body.items as Array<{ severity: string; excerpt?: string }>;
    expect(items).toHaveLength(before + 1);
    expect(items.filter((item) => item.excerpt === text)).toEqual([expect.objectContaining({ severity: 'urgent', status: 'raised' })]);
  });

  it('an emergency filed under another category still gets the ambulance first', async () => {
    const replies = await turnReplies(running.baseUrl, activity('medical-cut', { text: 'my son cut his leg on glass and it will not stop bleeding' }));
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    expect(said).toContain('Call 999 now and ask for an ambulance');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
  });

  it('a crisis split over two messages gets signposting in the reply to the second, and one urgent escalation quoting both', async () => {
    const before = (await dev().list()).body.items.length;
    const first = await turnReplies(running.baseUrl, activity('split-crisis', { text: 'i took' }));
    expect(first.map((reply) => reply.text ?? '').join('\n')).not.toContain('116 123');
    const second = await turnReplies(running.baseUrl, activity('split-crisis', { text: 'all of them' }));
    const said = second.map((reply) => reply.text ?? '').join('\n');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
    const items = (await dev().list()).body.items as Array<{ severity: string; excerpt: string }>;
    expect(items).toHaveLength(before + 1);
    expect(items.filter((item) => item.excerpt === 'i took / all of them')).toEqual([expect.objectContaining({ severity: 'urgent', status: 'raised' })]);
  });

  it('answers to "Are you safe right now?" are handled: not safe re-alerts and is recorded', async () => {
    await turnReplies(running.baseUrl, activity('safe-check', { text: CRISIS }));
    const replies = await turnReplies(running.baseUrl, activity('safe-check', { text: "No, I'm not safe" }));
    expect(replies.map((r) => r.text).join('\n')).toContain('999');
    const item = (await dev().list()).body.items.find((i: { safeCheck: unknown; id: string }) => i.safeCheck);
    expect(item).toMatchObject({ severity: 'urgent', safeCheck: { answer: 'not-safe' } });
  });

  it('an adviser sees only their caseload: another PA gets 404 for read, acknowledge and resolve', async () => {
    await linkToAlex('alex-case');
    // Alex can be reached in Teams, so the duty team is not involved.
    await running.app.safeguarding.escalations.references.register('pa-alex', '29:alex-direct', {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.invalid/',
      conversation: { id: 'alex-direct' },
    });
    await turnReplies(running.baseUrl, activity('alex-case', { text: CRISIS }));
    const mine = (await alex().list()).body.items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ owner: { kind: 'adviser', adviserId: 'pa-alex' }, severity: 'urgent' });
    const id = mine[0].id as string;

    expect((await bo().list()).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await dev().list()).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    for (const attempt of [bo().acknowledge(id), bo().resolve(id, { note: 'not mine' }), dev().acknowledge(id)]) {
      const answer = await attempt;
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 'NotFound', message: expect.any(String) } });
    }
    // Unknown ids look exactly the same.
    expect((await alex().acknowledge('esc-aaaaaaaaaaaa')).status).toBe(404);

    const acked = await alex().acknowledge(id);
    expect(acked).toMatchObject({ status: 200, body: { escalation: { id, status: 'acknowledged', acknowledgedBy: 'pa-alex' } } });
    const resolved = await alex().resolve(id, { note: 'Called them back; safety plan agreed (fictional).' });
    expect(resolved).toMatchObject({ status: 200, body: { escalation: { id, status: 'resolved', resolvedBy: 'pa-alex' } } });
    expect((await alex().resolve(id, { note: 'again' })).status).toBe(409);
  });

  describe('bad input gets a clear 4xx and the service keeps running', () => {
    it.each([
      ['no token', () => adviserApi(running.baseUrl, null).list(), 401, 'Unauthorized'],
      ['a wrong token', () => adviserApi(running.baseUrl, 'not-the-right-token-at-all').list(), 401, 'Unauthorized'],
      ['a malformed header', () => adviserApi(running.baseUrl, null).call('GET', '/api/escalations', undefined, { authorization: `Basic ${DEV_TOKEN}` }), 401, 'Unauthorized'],
      ['a bad id', () => dev().acknowledge('not-an-id'), 400, 'InvalidId'],
      ['an id with odd characters', () => dev().acknowledge('esc-AAAAAAAAAAAA'), 400, 'InvalidId'],
      ['an unknown id', () => dev().acknowledge('esc-bbbbbbbbbbbb'), 404, 'NotFound'],
      ['an empty note', () => dev().resolve('esc-bbbbbbbbbbbb', { note: '   ' }), 400, 'InvalidBody'],
      ['no note', () => dev().resolve('esc-bbbbbbbbbbbb', {}), 400, 'InvalidBody'],
      ['a note that is not text', () => dev().resolve('esc-bbbbbbbbbbbb', { note: 42 }), 400, 'InvalidBody'],
      ['a note too long', () => dev().resolve('esc-bbbbbbbbbbbb', { note: 'x'.repeat(2001) }), 400, 'InvalidBody'],
      ['extra fields', () => dev().resolve('esc-bbbbbbbbbbbb', { note: 'ok', severity: 'none' }), 400, 'InvalidBody'],
      ['malformed JSON', () => dev().resolve('esc-bbbbbbbbbbbb', '{"note": '), 400, undefined],
      ['a wrong content type', () => dev().call('POST', '/api/escalations/esc-bbbbbbbbbbbb/resolve', 'note=x', { 'content-type': 'text/plain' }), 415, 'UnsupportedMediaType'],
      ['a body on acknowledge', () => dev().call('POST', '/api/escalations/esc-bbbbbbbbbbbb/acknowledge', { note: 'x' }), 400, 'InvalidBody'],
      ['an unknown list filter', () => dev().list('?status=lost'), 400, 'InvalidQuery'],
    ])('%s', async (_name, call, status, code) => {
      const answer = await call();
      expect(answer.status).toBe(status);
      if (code) expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
      if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
    });
  });

  it('issues invite codes for the caller', async () => {
    const issued = await alex().invite();
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ code: expect.stringMatching(/^[A-HJ-KMNP-Z2-9]{4}-[A-HJ-KMNP-Z2-9]{4}$/), expiresAt: expect.any(String) });
    expect(Date.parse(issued.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await adviserApi(running.baseUrl, null).invite()).status).toBe(401);
  });

  it('an adviser links Teams, gets the card, and acknowledges from it', async () => {
    const link = await alex().linkCode();
    expect(link.status).toBe(201);
    const linked = await turnReplies(running.baseUrl, activity('alex-teams', { text: link.body.send, channelId: 'msteams', userId: '29:alex' }));
    expect(linked.map((r) => r.text).join(' ')).toMatch(/linked/);
    // A code works once.
    const again = await turnReplies(running.baseUrl, activity('alex-teams-2', { text: link.body.send, channelId: 'msteams', userId: '29:mallory' }));
    expect(again.map((r) => r.text).join(' ')).toMatch(/didn't work/);

    await linkToAlex('alex-case-2');
    await turnReplies(running.baseUrl, activity('alex-case-2', { text: CRISIS }));
    running.messenger.sent.length = 0;
    await running.app.safeguarding.drainOnce();
    const notice = running.messenger.sent.find((s) => s.recipient.conversation.id === 'alex-teams');
    expect(notice).toBeDefined();
    const card = notice!.message.card as { actions: Array<{ type: string; data?: { action: string; id: string }; url?: string }> };
    const submit = card.actions.find((a) => a.type === 'Action.Submit')!;
    expect(card.actions.find((a) => a.type === 'Action.OpenUrl')!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/$/);
    expect(notice!.message.text).not.toContain(CRISIS);

    // Someone else pressing it gets nothing done.
    const stranger = await turnReplies(running.baseUrl, activity('other-teams', { value: submit.data, channelId: 'msteams', userId: '29:stranger' }));
    expect(stranger.map((r) => r.text).join(' ')).toMatch(/not linked/);

    const pressed = await turnReplies(running.baseUrl, activity('alex-teams', { value: submit.data, channelId: 'msteams', userId: '29:alex' }));
    expect(pressed.map((r) => r.text).join(' ')).toContain(submit.data!.id);
    const item = (await alex().list()).body.items.find((i: { id: string }) => i.id === submit.data!.id);
    expect(item).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'pa-alex' });
    const trail = await running.app.safeguarding.escalations.audit.forEscalation(submit.data!.id);
    expect(trail).toContainEqual(expect.objectContaining({ action: 'acknowledged', actor: { kind: 'adviser', id: 'pa-alex' }, detail: expect.objectContaining({ via: 'card' }) }));
  });

  it('a young person on Web Chat forging an acknowledge card action gets a polite refusal and changes nothing', async () => {
    // Alex is linked in Teams (the chat a card would be pressed in), and owns this escalation.
    const link = await alex().linkCode();
    await turnReplies(running.baseUrl, activity('alex-teams-forgery', { text: link.body.send, channelId: 'msteams', userId: '29:alex-forgery' }));
    await linkToAlex('forgery-case');
    await turnReplies(running.baseUrl, activity('forgery-case', { text: CRISIS }));
    const target = (await alex().list('?open=true')).body.items.find((i: { status: string }) => i.status === 'raised');
    expect(target).toBeDefined();
    const id = target.id as string;
    const audit = running.app.safeguarding.escalations.audit;
    const trailBefore = await audit.forEscalation(id);

    // The card's data is no secret: anyone can put it in a message. Web Chat, Direct Line, and the
    // adviser's own Teams ids claimed from another channel: none of them can act for Alex.
    const forged = { action: 'escalation.acknowledge', id };
    for (const attempt of [
      { channelId: 'webchat', userId: 'young-person-webchat' },
      { channelId: 'webchat', userId: '29:alex-forgery' },
      { channelId: 'directline', userId: '29:alex-forgery' },
    ]) {
      const replies = await turnReplies(running.baseUrl, activity(`forgery-${attempt.channelId}`, { value: forged, ...attempt }));
      const said = replies.map((r) => r.text ?? '').join(' ');
      expect(said).toMatch(/Sorry, I can't do that here\. Nothing has changed\./);
      expect(said).not.toContain(id);
    }
    // In Teams, the linked adviser's id from another chat does not work either.
    const otherChat = await turnReplies(running.baseUrl, activity('not-alex-linked-chat', { value: forged, channelId: 'msteams', userId: '29:alex-forgery' }));
    expect(otherChat.map((r) => r.text).join(' ')).toMatch(/not linked/);

    const after = (await alex().list()).body.items.find((i: { id: string }) => i.id === id);
    expect(after).toMatchObject({ status: 'raised', acknowledgedAt: null, acknowledgedBy: null });
    // The trail shows no change: no acknowledgement, no refusal, nothing read (only Alex's own listing).
    const trailAfter = (await audit.forEscalation(id)).filter((entry) => entry.action !== 'listed');
    expect(trailAfter).toEqual(trailBefore.filter((entry) => entry.action !== 'listed'));

    // Alex acknowledges with their bearer token, through the API.
    expect(await alex().acknowledge(id)).toMatchObject({ status: 200, body: { escalation: { status: 'acknowledged', acknowledgedBy: 'pa-alex' } } });
  });

  it('serves the adviser console page', async () => {
    const page = await fetch(`${running.baseUrl}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Tribe adviser console');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
