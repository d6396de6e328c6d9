import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { PERSIST_BUDGET_MS, SafetyGate, safetyOf, SAFETY_TURN_STATE } from '../../../bot/middleware/safety-gate';
import { SAFETY_TURN_STATE as DIALOG_SAFETY_TURN_STATE } from '../../../dialogs/safety';
import { EscalationSpool, FollowUps } from '../../../services/escalations';
import type { DocumentStore } from '../../../services/store/port';
import { storeWithWriteHook } from '../../support/write-hook-store';
import { createLogger } from '../../../services/logging';
import { CLASSIFIER_STOOD_DOWN_REASON, RecentMessages, SENTENCE_READING_FAILED_REASON, SENTENCE_READING_STOOD_DOWN_REASON } from '../../../services/safety';
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

  it('"ok" or "please" to "Are you safe right now?" is not taken as safe: the gate asks again; "yes" answers', async () => {
    const askedAgain = (reply: Partial<Activity>) => {
      expect(reply.text).toMatch(/are you safe right now\?/i);
      expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(["Yes, I'm safe", "No, I'm not safe"]);
    };
    await adapter
      .send('crisis')
      .assertReply(() => undefined)
      .send('ok')
      .assertReply(askedAgain)
      .send('please')
      .assertReply(askedAgain)
      .send('yes')
      .assertReply((reply) => expect(reply.text).toMatch(/glad you're safe/i))
      .startTest();
    // No dialog saw any of it, and only the clear "yes" was recorded.
    expect(dialogRan).toEqual([]);
    const [escalation] = await h.deps.escalations.list({});
    expect(escalation).toMatchObject({ safeCheck: { answer: 'safe' } });
  });

  it('a lesser concern after a crisis does not replace "Are you safe right now?": a later "no" still re-alerts', async () => {
    await h.references.register('duty-kim', '29:duty', { channelId: 'msteams', serviceUrl: 'https://x.invalid/', conversation: { id: 'duty' } });
    await adapter
      .send('crisis')
      .assertReply(() => undefined)
      .send('feeling low')
      .assertReply(() => undefined)
      .send('no')
      .assertReply((reply) => expect(reply.text).toMatch(/call 999 now/i))
      .startTest();
    const escalations = await h.deps.escalations.list({});
    expect(escalations.find((escalation) => escalation.severity === 'urgent')).toMatchObject({ safeCheck: { answer: 'not-safe' } });
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

  it('a thought split over two messages is read whole: crisis reply, and the escalation keeps both', async () => {
    const splitVerdicts: Record<string, ScreenResult> = { 'i took all of them': verdicts['crisis']! };
    const splitScreen = { screen: async (text: string) => splitVerdicts[text] ?? screen.screen(text) };
    const gate = new SafetyGate({ screen: splitScreen, escalations: h.deps, followUps: new FollowUps(opened.store, h.clock), text: h.deps.text, logger: silentLogger, recentMessages: new RecentMessages() });
    const ran: string[] = [];
    const split = new TestAdapter(async (context: TurnContext) => void ran.push(context.activity.text ?? ''));
    split.use(gate);
    await split
      .send('i took')
      .send('all of them')
      .assertReply((reply) => {
        for (const number of CRISIS_NUMBERS) expect(reply.text).toContain(number);
      })
      .startTest();
    expect(ran).toEqual(['i took']);
    const [escalation] = await h.deps.escalations.list({});
    expect(escalation).toMatchObject({ severity: 'urgent', excerpt: 'i took / all of them' });
  });

  it('a joined screening that fails leaves the message alone, and logs the failure without any words', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) } as never);
    const failing = { screen: async (text: string) => (text === 'i took all of them' ? Promise.reject(new Error('i took all of them')) : screen.screen(text)) };
    const gate = new SafetyGate({ screen: failing, escalations: h.deps, followUps: new FollowUps(opened.store, h.clock), text: h.deps.text, logger, recentMessages: new RecentMessages() });
    const ran: string[] = [];
    const split = new TestAdapter(async (context: TurnContext) => void ran.push(context.activity.text ?? ''));
    split.use(gate);
    await split.send('i took').send('all of them').startTest();
    expect(ran).toEqual(['i took', 'all of them']);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; err?: unknown });
    expect(logged).toEqual([expect.objectContaining({ msg: 'safety: screening a message with the ones before it failed; it stands alone', err: expect.objectContaining({ type: 'Error' }) })]);
    expect(lines.join('\n')).not.toMatch(/took|all of them/);
  });

  it('an answer to the question the gate asked is never joined to the messages before it', async () => {
    const screened: string[] = [];
    const watching = { screen: async (text: string) => (screened.push(text), screen.screen(text)) };
    const gate = new SafetyGate({ screen: watching, escalations: h.deps, followUps: new FollowUps(opened.store, h.clock), text: h.deps.text, logger: silentLogger, recentMessages: new RecentMessages() });
    const answering = new TestAdapter(async () => undefined);
    answering.use(gate);
    await answering
      .send('feeling low')
      .assertReply((reply) => expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(['Yes, tell my PA', 'No, not now']))
      .send('hmm')
      .send('not sure')
      .send('No, not now')
      .assertReply(() => undefined)
      .startTest();
    // "hmm" and "not sure" are read together; the answer "No, not now" only alone.
    expect(screened).toContain('hmm not sure');
    expect(screened.filter((text) => text.includes('No, not now'))).toEqual(['No, not now']);
  });

  /** One message through a gate whose screen gives `result`: what ran after it, and the log lines. */
  async function throughGate(text: string, result: ScreenResult): Promise<{ ran: string[]; logged: Array<{ level: number; msg: string; reasons?: string[] }>; raw: string }> {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) } as never);
    const gate = new SafetyGate({ screen: { screen: async () => result }, escalations: h.deps, followUps: new FollowUps(opened.store, h.clock), text: h.deps.text, logger });
    const ran: string[] = [];
    const adapter = new TestAdapter(async (context: TurnContext) => void ran.push(safetyOf(context)?.replied ? 'after-safety-reply' : 'clean'));
    adapter.use(gate);
    await adapter.send(text).startTest();
    return { ran, logged: lines.map((line) => JSON.parse(line)), raw: lines.join('\n') };
  }

  it('a rules concern the classifier stood down: no escalation, no safety reply, and a log line with rule ids only', async () => {
    const stoodDown: ScreenResult = { severity: 'none', category: 'none', reasons: ['homeless.pushed_out', CLASSIFIER_STOOD_DOWN_REASON], about: 'self', needsCrisisSignposting: false };
    const { ran, logged, raw } = await throughGate('kicked out of the pub at closing lol', stoodDown);
    expect(ran).toEqual(['clean']);
    expect(await h.deps.escalations.list({})).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ msg: 'safety: a rules concern was stood down by the classifier', reasons: stoodDown.reasons })]);
    expect(raw).not.toContain('pub');
  });

  it('an urgent rules result stood down to a concern: a warning of its own, with rule ids only', async () => {
    const stood: ScreenResult = {
      severity: 'medium',
      category: 'suicide_self_harm',
      reasons: ['suicide.kill_self', CLASSIFIER_STOOD_DOWN_REASON, SENTENCE_READING_STOOD_DOWN_REASON],
      about: 'self',
      needsCrisisSignposting: false,
    };
    const { logged, raw } = await throughGate('an invented message about coursework', stood);
    expect(logged.filter((line) => line.msg.includes('stood down'))).toEqual([
      expect.objectContaining({ level: 40, msg: 'safety: an urgent rules result was stood down to a concern (both learned readings found it benign)', reasons: stood.reasons }),
    ]);
    expect(raw).not.toContain('coursework');
  });

  it('a sentence reading that failed: the result stands, and a warning with reasons only', async () => {
    const failed: ScreenResult = { severity: 'none', category: 'none', reasons: [SENTENCE_READING_FAILED_REASON], about: 'self', needsCrisisSignposting: false };
    const { ran, logged, raw } = await throughGate('an invented everyday message about the bus', failed);
    expect(ran).toEqual(['clean']);
    expect(await h.deps.escalations.list({})).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ level: 40, msg: 'safety: the sentence reading failed; the rules and classifier result stands', reasons: failed.reasons })]);
    expect(raw).not.toContain('bus');
  });
});

describe('safety gate when the store hangs', () => {

  /** Writes wait until `release(outcome)`: then they go through, or fail like a driver timeout. */
  function hangingWrites(inner: DocumentStore) {
    let outcome: 'hang' | 'ok' | 'fail' = 'hang';
    const waiting: Array<() => void> = [];
    const store = storeWithWriteHook(inner, async () => {
      if (outcome === 'hang') await new Promise<void>((resolve) => waiting.push(resolve));
      if (outcome === 'fail') throw Object.assign(new Error('server selection timed out'), { name: 'MongoServerSelectionError' });
    });
    const release = (next: 'ok' | 'fail') => {
      outcome = next;
      for (const resolve of waiting.splice(0)) resolve();
    };
    return { store, release, heal: () => (outcome = 'ok') };
  }

  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let dir: string;
  beforeEach(async () => {
    opened = await openTestStore('embedded');
    dir = mkdtempSync(join(tmpdir(), 'tribe-gate-hang-'));
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([['go through late', 'ok'], ['fail late', 'fail']] as const)(
    'signposts when the persist budget runs out, never waiting on the hung store, spools the concern, and the writes that %s leave exactly one escalation',
    async (_, late) => {
      const hanging = hangingWrites(opened.store);
      const h = escalationHarness(hanging.store);
      h.deps.spool = new EscalationSpool(dir, silentLogger, { instance: 'gate-test' });
      // A short budget here keeps the bounds below far from a busy machine's pauses (production's is
      // checked apart); a long follow-up budget makes any wait on the hung store break them.
      const budgetMs = 300;
      const gate = new SafetyGate({ screen, escalations: h.deps, followUps: new FollowUps(hanging.store, h.clock), text: h.deps.text, logger: silentLogger, persistBudgetMs: budgetMs, followUpBudgetMs: 10_000 });
      const adapter = new TestAdapter(async () => undefined);
      let started = 0;
      let repliedAfter = Number.NaN;
      adapter.use(async (context, next) => {
        started = performance.now();
        context.onSendActivities(async (_, activities, send) => {
          repliedAfter = performance.now() - started;
          return send();
        });
        await next();
      });
      adapter.use(gate);

      await adapter
        .send('crisis')
        .assertReply((reply) => {
          for (const number of CRISIS_NUMBERS) expect(reply.text).toContain(number);
        })
        .startTest();
      // The reply waits out the budget, never the hung store; so does the whole turn (what an
      // `expectReplies` caller waits for). In production the budget leaves ~0.5 s of the 3 s.
      const turnTook = performance.now() - started;
      expect(PERSIST_BUDGET_MS).toBeLessThanOrEqual(2_500);
      expect(repliedAfter).toBeGreaterThanOrEqual(budgetMs - 50);
      expect(repliedAfter).toBeLessThan(budgetMs + 2_700);
      expect(turnTook).toBeLessThan(budgetMs + 2_700);
      expect(h.deps.spool.pending()).toHaveLength(1);
      // Its own attempt may still land: the replay leaves it alone meanwhile.
      expect(await h.deps.spool.replay(h.deps)).toMatchObject({ replayed: 0, pending: 1 });

      hanging.release(late);
      hanging.heal();
      // Until the abandoned attempt settles the replay leaves it alone; polled, as a busy machine can be slow to settle it.
      let replay = await h.deps.spool.replay(h.deps);
      for (let tries = 0; replay.replayed === 0 && tries < 200; tries += 1) {
        expect(replay).toMatchObject({ replayed: 0, pending: 1 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        replay = await h.deps.spool.replay(h.deps);
      }
      expect(replay).toMatchObject({ replayed: 1, pending: 0, storeDown: false });
      expect(await h.deps.spool.replay(h.deps)).toMatchObject({ replayed: 0, pending: 0 });
      const raised = await h.deps.escalations.list({});
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({ severity: 'urgent', category: 'suicide_self_harm', raiseCount: 1 });
    },
    15_000,
  );
});
