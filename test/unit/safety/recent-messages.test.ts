import { createSafetyScreen } from '../../../services/safety/pipeline';
import { RECENT_CONTEXT_REASON, RecentMessages, screenWithRecent, type RecentMessagesOptions } from '../../../services/safety/recent-messages';
import type { ScreenResult } from '../../../services/safety/types';

const screen = createSafetyScreen();
const OPTIONS: RecentMessagesOptions = { windowMs: 180_000, keep: 2, maxChars: 60, maxConversations: 3 };
const T0 = Date.UTC(2026, 10, 24, 12);

/** Screens `messages` one after another, `gapMs` apart, as the gate does; returns each result. */
async function sendInTurn(messages: string[], recent = new RecentMessages(OPTIONS), gapMs = 20_000, key = 'webchat:c1|webchat:u1') {
  const outcomes = [];
  let now = T0;
  for (const text of messages) {
    now += gapMs;
    outcomes.push(await screenWithRecent(screen.screenSync, recent, { key, text, alone: screen.screenSync(text), now, answersQuestion: false }));
  }
  return outcomes;
}

describe('reading a thought split over several messages', () => {
  it.each([
    [['i took', 'all of them'], 'urgent'],
    [['hes back', 'got a knife this time'], 'urgent'],
    [['i took', 'all of them', 'sorry'], 'urgent'],
  ])('%j: no message alone is a crisis, together they are', async (messages, severity) => {
    for (const message of messages) expect(screen.screenSync(message).severity).not.toBe('urgent');
    const outcomes = await sendInTurn(messages);
    const caught = outcomes.find((outcome) => outcome.result.severity === severity);
    expect(caught).toBeDefined();
    expect(caught!.result.reasons).toContain(RECENT_CONTEXT_REASON);
    expect(caught!.result.needsCrisisSignposting).toBe(true);
    // The escalation's excerpt is the thought as a whole.
    expect(caught!.excerpt).toBe(messages.slice(0, outcomes.indexOf(caught!) + 1).join(' '));
  });

  it('ordinary messages in a row stay ordinary, and keep no reason', async () => {
    for (const outcome of await sendInTurn(['hiya', 'whats the bursary', 'thanks x'])) {
      expect(outcome.result.severity).toBe('none');
      expect(outcome.result.reasons).not.toContain(RECENT_CONTEXT_REASON);
    }
  });

  it('never lowers what a message says alone', async () => {
    const [first, second] = await sendInTurn(['had a good day at college', "i'm going to kill myself tonight"]);
    expect(first!.result.severity).toBe('none');
    expect(second!.result).toEqual(screen.screenSync("i'm going to kill myself tonight"));
    expect(second!.excerpt).toBe("i'm going to kill myself tonight");
  });

  it('joins only short messages: a long one is a complete thought', async () => {
    const long = 'all of them, and i mean every single one of the ones in the box under my bed';
    expect(long.length).toBeGreaterThan(OPTIONS.maxChars);
    const [, second] = await sendInTurn(['i took', long]);
    expect(second!.result).toEqual(screen.screenSync(long));
    const [, afterLong] = await sendInTurn([`i took ${'and '.repeat(20)}`, 'all of them']);
    expect(afterLong!.result).toEqual(screen.screenSync('all of them'));
  });

  it('does not join messages further apart than the window', async () => {
    const [, second] = await sendInTurn(['i took', 'all of them'], new RecentMessages(OPTIONS), OPTIONS.windowMs + 1);
    expect(second!.result).toEqual(screen.screenSync('all of them'));
  });

  it('keeps conversations apart', async () => {
    const recent = new RecentMessages(OPTIONS);
    await sendInTurn(['i took'], recent, 20_000, 'a');
    const [other] = await sendInTurn(['all of them'], recent, 20_000, 'b');
    expect(other!.result.severity).toBe('none');
  });

  it('starts afresh after a concern: the words are in the escalation, not joined again', async () => {
    const recent = new RecentMessages(OPTIONS);
    const outcomes = await sendInTurn(['i took', 'all of them', 'ok', 'thanks'], recent);
    expect(outcomes.map((o) => o.result.severity)).toEqual(['none', 'urgent', 'none', 'none']);
  });

  it('never joins an answer to a question the gate asked to what came before', async () => {
    const recent = new RecentMessages(OPTIONS);
    recent.remember('k', 'i took', T0);
    const alone = screen.screenSync('all of them');
    const outcome = await screenWithRecent(screen.screenSync, recent, { key: 'k', text: 'all of them', alone, now: T0 + 1_000, answersQuestion: true });
    expect(outcome.result).toBe(alone);
    expect(recent.recent('k', T0 + 2_000)).toEqual([]);
  });

  it('keeps only the last few short messages of the most recently active conversations, in memory', () => {
    const recent = new RecentMessages(OPTIONS);
    recent.remember('a', 'one', T0);
    recent.remember('a', 'two', T0 + 1);
    recent.remember('a', 'three', T0 + 2);
    expect(recent.recent('a', T0 + 3)).toEqual(['two', 'three']);
    recent.remember('a', 'x'.repeat(OPTIONS.maxChars + 1), T0 + 4);
    expect(recent.recent('a', T0 + 5)).toEqual([]);
    for (const key of ['b', 'c', 'd', 'e']) recent.remember(key, 'hi', T0);
    expect(recent.size).toBe(OPTIONS.maxConversations);
    expect(recent.recent('b', T0 + 1)).toEqual([]);
    expect(recent.recent('e', T0 + 1)).toEqual(['hi']);
  });

  it('a screen that fails on the joined text leaves the result of the message alone', async () => {
    const recent = new RecentMessages(OPTIONS);
    recent.remember('k', 'i took', T0);
    const alone: ScreenResult = screen.screenSync('all of them');
    const failing = () => Promise.reject(new Error('boom'));
    await expect(screenWithRecent(failing, recent, { key: 'k', text: 'all of them', alone, now: T0 + 1_000, answersQuestion: false })).resolves.toEqual({
      result: alone,
      excerpt: 'all of them',
    });
  });
});
