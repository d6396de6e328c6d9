import { TestAdapter, type TurnContext } from 'botbuilder';
import { SafetyGate, safetyOf, SAFETY_TURN_STATE } from '../../../bot/middleware/safety-gate';
import { SAFETY_TURN_STATE as DIALOG_SAFETY_TURN_STATE } from '../../../dialogs/safety';
import { FollowUps } from '../../../services/escalations';
import type { ScreenResult } from '../../../services/safety/types';
import { CRISIS_NUMBERS, escalationHarness, openTestStore, silentLogger, type Harness } from '../../support/safeguarding';

const verdicts: Record<string, ScreenResult> = {
  crisis: { severity: 'urgent', category: 'suicide_self_harm', reasons: ['t'], about: 'self', needsCrisisSignposting: true },
  'nowhere to sleep': { severity: 'high', category: 'homelessness', reasons: ['t'], about: 'self', needsCrisisSignposting: false },
  'no food': { severity: 'high', category: 'destitution', reasons: ['t'], about: 'self', needsCrisisSignposting: false },
  'he hits me': { severity: 'high', category: 'harm_from_others', reasons: ['t'], about: 'self', needsCrisisSignposting: false },
  'feeling low': { severity: 'medium', category: 'mental_health', reasons: ['t'], about: 'self', needsCrisisSignposting: false },
};
const screen = { screen: async (text: string): Promise<ScreenResult> => verdicts[text] ?? { severity: 'none', category: 'none', reasons: [], about: 'self', needsCrisisSignposting: false } };

describe('safety gate', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let h: Harness;
  let dialogRan: string[];
  let adapter: TestAdapter;

  beforeEach(async () => {
    opened = await openTestStore('embedded');
    h = escalationHarness(opened.store);
    dialogRan = [];
    const gate = new SafetyGate({ screen, escalations: h.deps, followUps: new FollowUps(opened.store, h.clock), text: h.deps.text, logger: silentLogger, persistAttempts: 2 });
    adapter = new TestAdapter(async (context: TurnContext) => {
      dialogRan.push(`${context.activity.text}:${safetyOf(context)?.replied ? 'after-safety-reply' : 'clean'}`);
    });
    adapter.use(gate);
  });
  afterEach(() => opened.close());

  it('shares its turn-state key with the dialogs', () => expect(SAFETY_TURN_STATE).toBe(DIALOG_SAFETY_TURN_STATE));

  it('urgent: persists first, replies with crisis signposting, and no dialog runs', async () => {
    const order: string[] = [];
    const insert = h.deps.escalations.insert.bind(h.deps.escalations);
    h.deps.escalations.insert = async (doc) => {
      await insert(doc);
      order.push('persisted');
    };
    await adapter
      .send('crisis')
      .assertReply((reply) => {
        order.push('replied');
        for (const number of CRISIS_NUMBERS) expect(reply.text).toContain(number);
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(["Yes, I'm safe", "No, I'm not safe"]);
      })
      .startTest();
    expect(order).toEqual(['persisted', 'replied']);
    expect(dialogRan).toEqual([]);
  });

  it.each([
    ['nowhere to sleep', /housing team/],
    ['no food', /food bank/],
    ['he hits me', /101/],
  ])('high (%s): fitting signposting, then the dialogs run knowing the gate replied', async (text, expected) => {
    await adapter.send(text).assertReply((reply) => expect(reply.text).toMatch(expected)).startTest();
    expect(dialogRan).toEqual([`${text}:after-safety-reply`]);
    expect((await h.deps.escalations.list({}))[0]).toMatchObject({ severity: 'high' });
  });

  it('medium: offers to tell the PA; "Yes, tell my PA" sends the card and no dialog sees the answer', async () => {
    await h.references.register('duty-kim', '29:duty', { channelId: 'msteams', serviceUrl: 'https://x.invalid/', conversation: { id: 'duty' } });
    await adapter
      .send('feeling low')
      .assertReply((reply) => expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(['Yes, tell my PA', 'No, not now']))
      .send('Yes, tell my PA')
      .assertReply((reply) => expect(reply.text).toMatch(/sent your PA a message/))
      .send('hello')
      .startTest();
    expect(dialogRan).toEqual(['feeling low:after-safety-reply', 'hello:clean']);
    expect(await h.outbox.list()).toHaveLength(1);
  });

  it('"no" to "Are you safe right now?" re-alerts the owner and says call 999', async () => {
    await h.references.register('duty-kim', '29:duty', { channelId: 'msteams', serviceUrl: 'https://x.invalid/', conversation: { id: 'duty' } });
    await adapter
      .send('crisis')
      .assertReply(() => undefined)
      .send('no')
      .assertReply((reply) => expect(reply.text).toMatch(/call 999 now/i))
      .startTest();
    const [escalation] = await h.deps.escalations.list({});
    expect(escalation).toMatchObject({ severity: 'urgent', safeCheck: { answer: 'not-safe' }, raiseCount: 2 });
    expect((await h.outbox.list()).length).toBe(2); // the first notice and the re-alert
  });

  it('a store failure mid-crisis never blocks the answer to "No, I\'m not safe"', async () => {
    await adapter.send('crisis').assertReply(() => undefined).startTest();
    // The store goes down between the crisis reply and the young person's answer.
    const down = async () => {
      throw new Error('store down');
    };
    h.deps.escalations.update = down;
    h.deps.escalations.get = down;
    h.deps.escalations.insert = down;
    await adapter
      .send('no')
      .assertReply((reply) => expect(reply.text).toMatch(/call 999 now/i))
      .startTest();
    expect(dialogRan).toEqual([]);
  });

  it('a store failure never blocks the crisis reply', async () => {
    h.deps.escalations.insert = async () => {
      throw new Error('store down');
    };
    await adapter
      .send('crisis')
      .assertReply((reply) => {
        for (const number of CRISIS_NUMBERS) expect(reply.text).toContain(number);
      })
      .startTest();
  });

  it('an ordinary message goes straight to the dialogs with a clean verdict', async () => {
    await adapter.send('what am I owed?').startTest();
    expect(dialogRan).toEqual(['what am I owed?:clean']);
  });
});
