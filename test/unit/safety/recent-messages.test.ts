import { createSafetyScreen } from '../../../services/safety/pipeline';
import { RECENT_CONTEXT_REASON, RecentMessages, recentMessagesDataHolder, screenWithRecent, type RecentMessagesOptions, type Speaker } from '../../../services/safety/recent-messages';
import type { ScreenResult } from '../../../services/safety/types';

const screen = createSafetyScreen();
const OPTIONS: RecentMessagesOptions = { windowMs: 180_000, keep: 2, maxChars: 60, maxConversations: 3 };

/** A clock the test moves by hand. */
function fakeClock() {
  let now = Date.UTC(2026, 10, 24, 12);
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

/** One person in a conversation. */
function speaker(conversation: string, person = 'webchat:u1'): Speaker {
  return { conversation, person };
}

function recentWith(clock = fakeClock(), options = OPTIONS) {
  return { clock, recent: new RecentMessages(options, clock) };
}

/** Screens `messages` one after another, `gapMs` apart, as the gate does; returns each outcome. */
async function sendInTurn(messages: string[], { clock, recent } = recentWith(), gapMs = 20_000, from = speaker('webchat:c1')) {
  const outcomes = [];
  for (const text of messages) {
    clock.advance(gapMs);
    outcomes.push(await screenWithRecent(screen.screenSync, recent, { speaker: from, text, alone: screen.screenSync(text), answersQuestion: false }));
  }
  return outcomes;
}

afterEach(() => jest.useRealTimers());

describe('reading a thought split over several messages', () => {
  it.each([
    [['i took', 'all of them'], 'i took / all of them'],
    [['hes back', 'got a knife this time'], 'hes back / got a knife this time'],
    [['i took', 'all of them', 'sorry'], 'i took / all of them'],
  ])('%j: no message alone is a crisis, together they are', async (messages, excerpt) => {
    for (const message of messages) expect(screen.screenSync(message).severity).not.toBe('urgent');
    const outcomes = await sendInTurn(messages);
    const caught = outcomes.find((outcome) => outcome.result.severity === 'urgent');
    expect(caught!.result.reasons).toContain(RECENT_CONTEXT_REASON);
    expect(caught!.result.needsCrisisSignposting).toBe(true);
    // The escalation quotes the thought as a whole, showing where each message ended.
    expect(caught!.excerpt).toBe(excerpt);
  });

  it('ordinary messages in a row stay ordinary, and keep no reason', async () => {
    for (const outcome of await sendInTurn(['hiya', 'whats the bursary', 'thanks x'])) {
      expect(outcome.result.severity).toBe('none');
      expect(outcome.result.reasons).not.toContain(RECENT_CONTEXT_REASON);
    }
  });

  it('never lowers what a message says alone, and reads a message with its own concern alone', async () => {
    const crisis = "i'm going to kill myself tonight";
    const [, second] = await sendInTurn(['had a good day at college', crisis]);
    expect(second).toEqual({ result: screen.screenSync(crisis), excerpt: crisis });
    const low = 'feeling really low';
    expect(screen.screenSync(low).severity).toBe('medium');
    const [, , third] = await sendInTurn(['i took', 'every', low]);
    expect(third).toEqual({ result: screen.screenSync(low), excerpt: low });
  });

  it('joins only short messages: 60 characters is still a fragment, 61 is a complete thought', async () => {
    const at60 = `all of them ${'x'.repeat(60 - 'all of them '.length)}`;
    const at61 = `${at60}x`;
    expect([at60.length, at61.length]).toEqual([60, 61]);
    const [, joined] = await sendInTurn(['i took', at60]);
    expect(joined!.result.reasons).toContain(RECENT_CONTEXT_REASON);
    const [, alone] = await sendInTurn(['i took', at61]);
    expect(alone!.result).toEqual(screen.screenSync(at61));
    const [, afterLong] = await sendInTurn([`i took ${'and '.repeat(20)}`, 'all of them']);
    expect(afterLong!.result).toEqual(screen.screenSync('all of them'));
  });

  it('joins messages up to the window apart, not a millisecond more', async () => {
    const [, atWindow] = await sendInTurn(['i took', 'all of them'], recentWith(), OPTIONS.windowMs);
    expect(atWindow!.result.severity).toBe('urgent');
    const [, past] = await sendInTurn(['i took', 'all of them'], recentWith(), OPTIONS.windowMs + 1);
    expect(past!.result).toEqual(screen.screenSync('all of them'));
  });

  it('keeps conversations (and people) apart', async () => {
    const held = recentWith();
    await sendInTurn(['i took'], held, 20_000, speaker('a'));
    const [otherConversation] = await sendInTurn(['all of them'], held, 20_000, speaker('b'));
    expect(otherConversation!.result.severity).toBe('none');
    const [otherPerson] = await sendInTurn(['all of them'], held, 20_000, speaker('a', 'webchat:u2'));
    expect(otherPerson!.result.severity).toBe('none');
  });

  it('starts afresh after a concern: the words are in the escalation, not joined again', async () => {
    const outcomes = await sendInTurn(['i took', 'all of them', 'ok', 'thanks']);
    expect(outcomes.map((o) => o.result.severity)).toEqual(['none', 'urgent', 'none', 'none']);
  });

  it('never joins an answer to a question the gate asked to what came before', async () => {
    const { recent } = recentWith();
    recent.remember(speaker('k'), 'i took');
    const alone = screen.screenSync('all of them');
    const outcome = await screenWithRecent(screen.screenSync, recent, { speaker: speaker('k'), text: 'all of them', alone, answersQuestion: true });
    expect(outcome.result).toBe(alone);
    expect(recent.recent(speaker('k'))).toEqual([]);
  });

  it('an attachment with no words neither joins nor wipes what came before', async () => {
    const held = recentWith();
    const [, empty, last] = await sendInTurn(['i took', '', 'all of them'], held);
    expect(empty!.result.severity).toBe('none');
    expect(last!.result.severity).toBe('urgent');
  });

  it('keeps only the last few messages of the most recently active conversations', () => {
    const { clock, recent } = recentWith();
    recent.remember(speaker('a'), 'one');
    recent.remember(speaker('a'), 'two');
    recent.remember(speaker('a'), 'three');
    expect(recent.recent(speaker('a'))).toEqual(['two', 'three']);
    recent.remember(speaker('b'), 'hi');
    recent.remember(speaker('c'), 'hi');
    clock.advance(1);
    recent.remember(speaker('a'), 'four'); // "a" is now the most recently active; "b" the least
    recent.remember(speaker('d'), 'hi');
    expect(recent.size).toBe(OPTIONS.maxConversations);
    expect(recent.recent(speaker('b'))).toEqual([]);
    expect(recent.recent(speaker('a'))).toEqual(['three', 'four']);
  });

  it('holds nothing longer than the window, even on a quiet instance', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 24, 12) });
    const recent = new RecentMessages(OPTIONS);
    recent.remember(speaker('a'), 'i took');
    expect(recent.size).toBe(1);
    jest.advanceTimersByTime(OPTIONS.windowMs);
    expect(recent.size).toBe(1);
    jest.advanceTimersByTime(OPTIONS.windowMs / 6 + 1);
    expect(recent.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a clock that goes backwards drops what it holds rather than joining it', () => {
    const { clock, recent } = recentWith();
    recent.remember(speaker('a'), 'i took');
    clock.advance(-1);
    expect(recent.recent(speaker('a'))).toEqual([]);
  });

  it('export and delete my data reach what is held from that person, in every conversation, and nobody else', async () => {
    const { recent } = recentWith();
    const holder = recentMessagesDataHolder(recent);
    recent.remember(speaker('a'), 'i took');
    recent.remember(speaker('b'), 'delete my data');
    recent.remember(speaker('a', 'webchat:u2'), 'see you at 3');
    expect(holder.section).toBe('recentMessages');
    expect(await holder.exportFor('webchat:u1')).toEqual(['i took', 'delete my data']);
    expect(await holder.eraseFor('webchat:u1')).toBe(2);
    expect(await holder.exportFor('webchat:u1')).toEqual([]);
    expect(await holder.eraseFor('webchat:u1')).toBe(0);
    expect(recent.recent(speaker('a'))).toEqual([]);
    expect(recent.recent(speaker('a', 'webchat:u2'))).toEqual(['see you at 3']);
    // A person id that looks like a key part never reaches another person's messages.
    expect(await holder.exportFor('webchat:c1","webchat:u2')).toEqual([]);
  });

  it('never mixes up speakers whose ids run together or hold separators', async () => {
    const { recent } = recentWith(fakeClock(), { ...OPTIONS, maxConversations: 10 });
    const holder = recentMessagesDataHolder(recent);
    const pairs: Array<[string, string]> = [
      ['ab', 'c'],
      ['a', 'bc'],
      ['a|b', 'c'],
      ['a', 'b|c'],
      ['a","b', 'c'],
      ['a', 'b","c'],
    ];
    pairs.forEach(([conversation, person], n) => recent.remember(speaker(conversation, person), `message ${n}`));
    pairs.forEach(([conversation, person], n) => expect(recent.recent(speaker(conversation, person))).toEqual([`message ${n}`]));
    expect(await holder.exportFor('c')).toEqual(['message 0', 'message 2', 'message 4']);
    expect(await holder.exportFor('bc')).toEqual(['message 1']);
  });

  it('counts every message it forgets, and lets each one go when it is no longer recent', async () => {
    const { clock, recent } = recentWith();
    const holder = recentMessagesDataHolder(recent);
    recent.remember(speaker('a'), 'i took');
    clock.advance(120_000);
    recent.remember(speaker('a'), 'all of them');
    clock.advance(60_001); // the first is past the window; the second is not
    expect(await holder.exportFor('webchat:u1')).toEqual(['all of them']);
    recent.remember(speaker('b'), 'one');
    recent.remember(speaker('b'), 'two');
    // Everything still in memory goes, and is counted, the expired one too.
    expect(await holder.eraseFor('webchat:u1')).toBe(4);
    expect(recent.size).toBe(0);
  });

  it('the timer drops a message past the window even while a later one keeps the conversation', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 24, 12) });
    const recent = new RecentMessages(OPTIONS);
    recent.remember(speaker('a'), 'i took');
    jest.advanceTimersByTime(120_000);
    recent.remember(speaker('a'), 'all of them');
    jest.advanceTimersByTime(OPTIONS.windowMs - 120_000 + OPTIONS.windowMs / 6 + 1);
    expect(recent.forgetPerson('webchat:u1')).toBe(1);
  });

  it('a screen that fails on the joined text leaves the result of the message alone', async () => {
    const { recent } = recentWith();
    recent.remember(speaker('k'), 'i took');
    const alone: ScreenResult = screen.screenSync('all of them');
    const failure = new Error('boom');
    const failing = () => Promise.reject(failure);
    const failures: unknown[] = [];
    await expect(
      screenWithRecent(failing, recent, { speaker: speaker('k'), text: 'all of them', alone, answersQuestion: false }, (error) => failures.push(error)),
    ).resolves.toEqual({ result: alone, excerpt: 'all of them' });
    expect(failures).toEqual([failure]);
  });
});
