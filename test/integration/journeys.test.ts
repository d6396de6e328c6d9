import { ContentCatalog } from '../../services/content/catalog';
import { messageActivity, sendTurn, startTestApp, type RunningTestApp } from '../support/test-app';

/**
 * The journeys over HTTP, as a channel drives them: `POST /api/messages` with
 * `deliveryMode: "expectReplies"`, the embedded store under a temporary DATA_DIR.
 */
const catalog = ContentCatalog.load();
const t = (id: string, params?: Record<string, string | number>) => catalog.render(id, params);
type Reply = Awaited<ReturnType<typeof sendTurn>>[number];
const words = (replies: Reply[]) => replies.map((reply) => reply.text ?? '').join('\n');

function conversationUpdate(conversationId: string, userId: string): Record<string, unknown> {
  return {
    ...messageActivity('', conversationId, userId),
    type: 'conversationUpdate',
    text: undefined,
    membersAdded: [{ id: userId }, { id: 'tribe-bot' }],
  };
}

describe('journeys over HTTP', () => {
  let running: RunningTestApp;
  beforeEach(async () => {
    running = await startTestApp();
  });
  afterEach(async () => {
    await running.stop();
  });

  const say = async (text: string, conversation: string, user = `user-${conversation}`) =>
    words(await sendTurn(running.baseUrl, messageActivity(text, conversation, user)));

  it('welcomes a new conversation and onboards in six answers with expectReplies', async () => {
    const welcome = await sendTurn(running.baseUrl, conversationUpdate('http-onboard', 'user-http-onboard'));
    expect(words(welcome)).toContain(t('journeys.onboarding.consent'));
    expect(words(welcome)).toContain('What Tribe keeps');

    const answers: Array<[string, string]> = [
      ['yes', t('journeys.onboarding.ask-name')],
      ['Sam', t('journeys.onboarding.ask-age')],
      ['19', t('journeys.onboarding.ask-council')],
      ['Leeds', t('journeys.onboarding.ask-situation-text')],
      ['1', t('journeys.onboarding.ask-home')],
      ['2', t('journeys.onboarding.done-named', { name: 'Sam' })],
    ];
    for (const [answer, expected] of answers) expect(await say(answer, 'http-onboard')).toContain(expected);
    process.stdout.write(`measured: turns to finish onboarding over HTTP (text channel): ${answers.length}\n`);

    const profile = await running.app.store.collection('profiles').findOne({ _id: 'test:user-http-onboard' });
    expect(profile).toMatchObject({ preferredName: 'Sam', councilId: 'leeds', situations: ['education'], home: 'supported-lodgings' });
  });

  it('does not welcome twice, and does not interrupt a conversation under way', async () => {
    await sendTurn(running.baseUrl, conversationUpdate('http-twice', 'user-http-twice'));
    expect(await say('yes', 'http-twice')).toContain(t('journeys.onboarding.ask-name'));
    const again = await sendTurn(running.baseUrl, conversationUpdate('http-twice', 'user-http-twice'));
    expect(again.filter((reply) => reply.type === 'message')).toHaveLength(0);
    expect(await say('Sam', 'http-twice')).toContain(t('journeys.onboarding.ask-age'));
  });

  it('keeps onboarding state across a restart of the service on the embedded store', async () => {
    expect(await say('hi', 'http-restart')).toContain(t('journeys.onboarding.consent'));
    expect(await say('yes', 'http-restart')).toContain(t('journeys.onboarding.ask-name'));
    expect(await say('Riley', 'http-restart')).toContain(t('journeys.onboarding.ask-age'));
    const dataDir = running.dataDir;
    await running.stop({ keepData: true });
    running = await startTestApp({ DATA_DIR: dataDir });
    expect(await say('20', 'http-restart')).toContain(t('journeys.onboarding.ask-council'));
    expect(await say('Kent', 'http-restart')).toContain(t('journeys.onboarding.ask-situation-text'));
  });

  it('someone Tribe keeps nothing about is told so, even though the gate briefly holds the request itself', async () => {
    expect(await say('export my data', 'http-stranger')).toContain(t('journeys.privacy.export-nothing'));
    expect(await say('delete my data', 'http-stranger')).toContain(t('journeys.privacy.nothing-to-delete'));
    expect(await running.app.store.collection('export_handoffs').find({})).toEqual([]);
  });

  it('delete my data removes the profile and the conversation state', async () => {
    await say('hi', 'http-delete');
    await say('yes', 'http-delete');
    expect(await say('Lee', 'http-delete')).toContain(t('journeys.onboarding.ask-age'));
    expect(await say('delete my data', 'http-delete')).toContain(t('journeys.privacy.delete-confirm'));
    expect(await say('Yes, delete it all', 'http-delete')).toContain(t('journeys.privacy.deleted').slice(0, 30));
    expect(await running.app.store.collection('profiles').findOne({ _id: 'test:user-http-delete' })).toBeNull();
    const state = await running.app.store.collection('botstate').find({});
    expect(JSON.stringify(state)).not.toContain('http-delete');
    // A fresh start: welcome and the consent question again.
    expect(await say('hi', 'http-delete')).toContain(t('journeys.onboarding.consent'));
  });

  async function onboardOverHttp(conversation: string, channelId = 'test') {
    const send = (text: string | undefined, value?: Record<string, string>) =>
      sendTurn(running.baseUrl, { ...messageActivity(text ?? '', conversation), channelId, ...(value ? { text: undefined, value } : {}) });
    for (const answer of ['hi', 'yes', 'Sam', '19', 'Leeds']) await send(answer);
    if (channelId === 'test') await send('1');
    else await send(undefined, { tribeAction: 'submit:situations', picks: 'education' });
    await send(t('journeys.home.foster-carers'));
    return send;
  }

  it('changes an entitlement status over HTTP with expectReplies (text channel: three answers)', async () => {
    const send = await onboardOverHttp('http-status');
    const list = words(await send(t('journeys.menu.entitlements')));
    const n = /(\d+)\. Staying Put with your foster carer: Not started/.exec(list)?.[1];
    expect(n).toBeDefined();
    expect(words(await send(n))).toContain(t('journeys.entitlements.set-status'));
    const saved = words(await send(t('journeys.entitlements.status.applied')));
    expect(saved).toContain(t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.applied') }));
    const stored = await running.app.store.collection('entitlement_statuses').findOne({ _id: 'test:user-http-status|entitlement.staying-put' });
    expect(stored).toMatchObject({ status: 'applied' });
  });

  it('changes an entitlement status from a Web Chat card button over HTTP, and it survives a restart', async () => {
    const send = await onboardOverHttp('http-card', 'webchat');
    const [card] = await send(t('journeys.menu.entitlements'));
    expect(JSON.stringify(card!.attachments)).toContain('status:entitlement.staying-put:getting-it');
    const saved = words(await send(undefined, { tribeAction: 'status:entitlement.staying-put:getting-it' }));
    expect(saved).toContain(t('journeys.entitlements.status.getting-it'));
    const dataDir = running.dataDir;
    await running.stop({ keepData: true });
    running = await startTestApp({ DATA_DIR: dataDir });
    const again = await sendTurn(running.baseUrl, { ...messageActivity(t('journeys.menu.entitlements'), 'http-card'), channelId: 'webchat' });
    expect(JSON.stringify(again[0]!.attachments)).toMatch(/Getting it/);
  });

  it('welcomes on a Teams install (installationUpdate) with cards', async () => {
    const install = {
      ...messageActivity('', 'http-teams', 'user-teams'),
      type: 'installationUpdate',
      action: 'add',
      channelId: 'msteams',
      text: undefined,
    };
    const replies = await sendTurn(running.baseUrl, install);
    const all = JSON.stringify(replies);
    expect(all).toContain('What Tribe keeps');
    expect(all).toContain('application/vnd.microsoft.card.adaptive');
  });

  it('after a crisis message (the real safety gate), the journey is set aside, not carried on', async () => {
    await say('hi', 'http-crisis');
    await say('yes', 'http-crisis');
    expect(await say('Jay', 'http-crisis')).toContain(t('journeys.onboarding.ask-age'));
    const crisis = await say('i want to kill myself tonight', 'http-crisis');
    expect(crisis).toContain('116 123');
    expect(crisis).not.toContain(t('journeys.onboarding.ask-age'));
    const escalations = await running.app.store.collection('escalations').find({ userKey: 'test:user-http-crisis' });
    expect(escalations).toEqual([expect.objectContaining({ severity: 'urgent' })]);
    // The gate asked "are you safe?"; whatever comes next, the age question is not picked up again.
    const next = await say('19', 'http-crisis');
    expect(next).not.toContain(t('journeys.onboarding.ask-council'));
  });

  it.each([['Sofa-surfing'], ['Nowhere right now']])('onboarding home "%s" reaches the safety route once, whoever catches it', async (home) => {
    const conversation = `http-home-${home.length}`;
    for (const answer of ['hi', 'yes', 'Sam', '18', 'Leeds', '6']) await say(answer, conversation);
    const replies = await sendTurn(running.baseUrl, messageActivity(t(`journeys.home.${home === 'Sofa-surfing' ? 'sofa-surfing' : 'nowhere'}`), conversation));
    const homelessness = t('safety.high.homelessness').slice(0, 40);
    expect(replies.filter((reply) => (reply.text ?? '').includes(homelessness))).toHaveLength(1);
    const escalations = await running.app.store.collection('escalations').find({ userKey: `test:user-${conversation}` });
    expect(escalations).toEqual([expect.objectContaining({ severity: 'high', category: 'homelessness' })]);
  });

  it('answers a message with only an attachment kindly', async () => {
    const activity = { ...messageActivity('', 'http-attach'), text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }] };
    const replies = await sendTurn(running.baseUrl, activity);
    expect(words(replies)).toContain(t('journeys.global.no-text'));
  });
});
