/**
 * Messages split over several sends ("i took" / "all of them"): each alone says nothing the screen
 * can act on, together they are a crisis. The few messages a person sent just before, that had
 * nothing in them alone, are read again with the new one.
 *
 * Held in this process's memory only, for about `windowMs` (checked on every message, and every
 * sixth of it by a timer that runs while anything is held): never written to the store or the
 * logs, dropped as soon as a concern is raised (the escalation then carries the words), and part of
 * export and delete my data (`recentMessagesDataHolder`). With
 * several instances the messages before may have reached another instance; then each is screened
 * alone, as before (this only ever adds a reading, it never removes one).
 */
import { systemClock, type Clock } from '../clock';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import { severityRank, type ScreenResult } from './types';

/** Added to the reasons of a result that needed the messages before (never text). */
export const RECENT_CONTEXT_REASON = 'context.recent_messages';

export interface RecentMessagesOptions {
  /** How far back a message still counts as part of the same thought. */
  windowMs: number;
  /** How many earlier messages are read with the new one. */
  keep: number;
  /** A fragment is short: longer messages are complete thoughts, neither kept nor joined. */
  maxChars: number;
  /** Conversations remembered at once; the least recently active are dropped first. */
  maxConversations: number;
}

export const DEFAULT_RECENT_MESSAGES: RecentMessagesOptions = { windowMs: 3 * 60_000, keep: 2, maxChars: 60, maxConversations: 10_000 };

interface Kept {
  text: string;
  at: number;
}

/** Whose messages: one person in one conversation. */
export interface Speaker {
  conversation: string;
  person: string;
}

interface Held {
  person: string;
  messages: Kept[];
}

const keyOf = (speaker: Speaker) => JSON.stringify([speaker.conversation, speaker.person]);

export class RecentMessages {
  /** Per conversation and person; the Map's order is least recently active first. */
  private readonly byKey = new Map<string, Held>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: RecentMessagesOptions = DEFAULT_RECENT_MESSAGES,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The texts kept for `speaker` that are still recent, oldest first. */
  recent(speaker: Speaker): string[] {
    this.dropExpired();
    return (this.byKey.get(keyOf(speaker))?.messages ?? []).filter((message) => this.isRecent(message, this.now())).map((message) => message.text);
  }

  /** Short enough to be part of a thought split over several messages. */
  isFragment(text: string): boolean {
    return text.length > 0 && text.length <= this.options.maxChars;
  }

  remember(speaker: Speaker, text: string): void {
    if (text.length === 0) return; // an attachment with no words: nothing to join, nothing to forget
    if (!this.isFragment(text)) {
      this.forget(speaker);
      return;
    }
    const key = keyOf(speaker);
    const now = this.now();
    const earlier = (this.byKey.get(key)?.messages ?? []).filter((message) => this.isRecent(message, now));
    const messages = [...earlier, { text, at: now }].slice(-this.options.keep);
    this.byKey.delete(key);
    this.byKey.set(key, { person: speaker.person, messages });
    if (this.byKey.size > this.options.maxConversations) this.byKey.delete(this.byKey.keys().next().value!);
    this.dropExpired();
    this.sweepWhileHolding();
  }

  forget(speaker: Speaker): void {
    this.byKey.delete(keyOf(speaker));
    this.sweepWhileHolding();
  }

  /** Everything still held from `person`, in every conversation, oldest first. */
  heldFrom(person: string): string[] {
    this.dropExpired();
    const now = this.now();
    return [...this.byKey.values()]
      .filter((held) => held.person === person)
      .flatMap((held) => held.messages.filter((message) => this.isRecent(message, now)).map((message) => message.text));
  }

  /** Forgets everything held from `person`; returns how many messages went. */
  forgetPerson(person: string): number {
    let forgotten = 0;
    for (const [key, held] of this.byKey) {
      if (held.person !== person) continue;
      forgotten += held.messages.length;
      this.byKey.delete(key);
    }
    this.sweepWhileHolding();
    return forgotten;
  }

  get size(): number {
    return this.byKey.size;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private isRecent(message: Kept, now: number): boolean {
    return now - message.at >= 0 && now - message.at <= this.options.windowMs;
  }

  /** Drops conversations whose last message is no longer recent (the oldest are first). */
  private dropExpired(): void {
    const now = this.now();
    for (const [key, { messages }] of this.byKey) {
      if (this.isRecent(messages[messages.length - 1]!, now)) break;
      this.byKey.delete(key);
    }
  }

  /** The timer's pass: every message no longer recent goes, not only whole conversations. */
  private dropEveryExpired(): void {
    const now = this.now();
    for (const [key, held] of this.byKey) {
      held.messages = held.messages.filter((message) => this.isRecent(message, now));
      if (held.messages.length === 0) this.byKey.delete(key);
    }
  }

  /** A timer that drops expired messages on a quiet instance too; it never keeps the process alive. */
  private sweepWhileHolding(): void {
    if (this.byKey.size > 0 && !this.sweeper) {
      this.sweeper = setInterval(() => {
        this.dropEveryExpired();
        this.sweepWhileHolding();
      }, Math.max(1_000, this.options.windowMs / 6));
      this.sweeper.unref();
    } else if (this.byKey.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

export interface ScreenedInContext {
  result: ScreenResult;
  /** The words the result was read from: the message, or the recent messages and it. */
  excerpt: string;
}

/**
 * The result for `text` (already screened `alone`), read with the recent messages before it when
 * alone it has nothing to act on. Remembers it as a possible fragment, or forgets the
 * conversation's fragments once a concern is raised. An answer to a question the gate asked is
 * never joined to what came before.
 */
export async function screenWithRecent(
  screen: (text: string) => ScreenResult | Promise<ScreenResult>,
  recentMessages: RecentMessages,
  turn: { speaker: Speaker; text: string; alone: ScreenResult; answersQuestion: boolean },
  /** Told when the joined screening fails (the message's own result stands); for the logs. */
  onJoinedFailure: (error: unknown) => void = () => undefined,
): Promise<ScreenedInContext> {
  const { speaker, text, alone, answersQuestion } = turn;
  let outcome: ScreenedInContext = { result: alone, excerpt: text };
  const earlier = alone.severity === 'none' && !answersQuestion && recentMessages.isFragment(text) ? recentMessages.recent(speaker) : [];
  if (earlier.length > 0) {
    const joined = [...earlier, text].join(' ');
    // A failure here only loses the extra reading: the message's own result stands.
    const together = await Promise.resolve()
      .then(() => screen(joined))
      .catch((error: unknown) => {
        onJoinedFailure(error);
        return alone;
      });
    if (severityRank(together.severity) > severityRank(alone.severity)) {
      // The PA sees where one message ended and the next began.
      outcome = { result: { ...together, reasons: [...together.reasons, RECENT_CONTEXT_REASON] }, excerpt: [...earlier, text].join(' / ') };
    }
  }
  if (outcome.result.severity === 'none' && !answersQuestion) recentMessages.remember(speaker, text);
  else recentMessages.forget(speaker);
  return outcome;
}

/** Export and delete my data reach the messages held in memory too (DESIGN.md rule 4). */
export function recentMessagesDataHolder(recentMessages: RecentMessages): PersonalDataHolder {
  return {
    section: 'recentMessages',
    transient: true,
    exportFor: async (person) => recentMessages.heldFrom(person),
    eraseFor: async (person) => recentMessages.forgetPerson(person),
  };
}
