/**
 * Messages split over several sends ("i took" / "all of them"): each alone says nothing the screen
 * can act on, together they are a crisis. The few messages a person sent just before, that had
 * nothing in them alone, are read again with the new one.
 *
 * Held in this process's memory only, for about `windowMs` (checked on every message, and every
 * sixth of it by a timer that runs while anything is held): never written to the store or the
 * logs, and dropped as soon as a concern is raised (the escalation then carries the words). With
 * several instances the messages before may have reached another instance; then each is screened
 * alone, as before (this only ever adds a reading, it never removes one).
 */
import { systemClock, type Clock } from '../clock';
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

export class RecentMessages {
  /** Per conversation and person; the Map's order is least recently active first. */
  private readonly byKey = new Map<string, Kept[]>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: RecentMessagesOptions = DEFAULT_RECENT_MESSAGES,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The texts kept for `key` that are still recent, oldest first. */
  recent(key: string): string[] {
    this.dropExpired();
    return (this.byKey.get(key) ?? []).filter((message) => this.isRecent(message, this.now())).map((message) => message.text);
  }

  /** Short enough to be part of a thought split over several messages. */
  isFragment(text: string): boolean {
    return text.length > 0 && text.length <= this.options.maxChars;
  }

  remember(key: string, text: string): void {
    if (text.length === 0) return; // an attachment with no words: nothing to join, nothing to forget
    if (!this.isFragment(text)) {
      this.forget(key);
      return;
    }
    const kept = [...(this.byKey.get(key) ?? []), { text, at: this.now() }].slice(-this.options.keep);
    this.byKey.delete(key);
    this.byKey.set(key, kept);
    if (this.byKey.size > this.options.maxConversations) this.byKey.delete(this.byKey.keys().next().value!);
    this.dropExpired();
    this.sweepWhileHolding();
  }

  forget(key: string): void {
    this.byKey.delete(key);
    this.sweepWhileHolding();
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
    for (const [key, kept] of this.byKey) {
      if (this.isRecent(kept[kept.length - 1]!, now)) break;
      this.byKey.delete(key);
    }
  }

  /** A timer that drops expired messages on a quiet instance too; it never keeps the process alive. */
  private sweepWhileHolding(): void {
    if (this.byKey.size > 0 && !this.sweeper) {
      this.sweeper = setInterval(() => {
        this.dropExpired();
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
  turn: { key: string; text: string; alone: ScreenResult; answersQuestion: boolean },
): Promise<ScreenedInContext> {
  const { key, text, alone, answersQuestion } = turn;
  let outcome: ScreenedInContext = { result: alone, excerpt: text };
  const earlier = alone.severity === 'none' && !answersQuestion && recentMessages.isFragment(text) ? recentMessages.recent(key) : [];
  if (earlier.length > 0) {
    const joined = [...earlier, text].join(' ');
    // A failure here only loses the extra reading: the message's own result stands.
    const together = await Promise.resolve()
      .then(() => screen(joined))
      .catch(() => alone);
    if (severityRank(together.severity) > severityRank(alone.severity)) {
      // The PA sees where one message ended and the next began.
      outcome = { result: { ...together, reasons: [...together.reasons, RECENT_CONTEXT_REASON] }, excerpt: [...earlier, text].join(' / ') };
    }
  }
  if (outcome.result.severity === 'none' && !answersQuestion) recentMessages.remember(key, text);
  else recentMessages.forget(key);
  return outcome;
}
