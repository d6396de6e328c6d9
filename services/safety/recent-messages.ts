/**
 * Messages split over several sends ("i took" / "all of them"): each alone says nothing the screen
 * can act on, together they are a crisis. The few messages a person sent just before, that had
 * nothing in them alone, are read again with the new one.
 *
 * Held in this process's memory only, for minutes: never written to the store or the logs, and
 * dropped as soon as a concern is raised (the escalation then carries the words). With several
 * instances the messages before may have reached another instance; then each is screened alone,
 * as before (this only ever adds a reading, it never removes one).
 */
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
  private readonly byKey = new Map<string, Kept[]>();

  constructor(private readonly options: RecentMessagesOptions = DEFAULT_RECENT_MESSAGES) {}

  /** The texts kept for `key` that are still recent at `now`, oldest first. */
  recent(key: string, now: number): string[] {
    const kept = this.byKey.get(key);
    if (!kept) return [];
    const fresh = kept.filter((message) => now - message.at >= 0 && now - message.at <= this.options.windowMs);
    if (fresh.length === 0) this.byKey.delete(key);
    return fresh.map((message) => message.text);
  }

  /** Short enough to be part of a thought split over several messages. */
  isFragment(text: string): boolean {
    return text.length > 0 && text.length <= this.options.maxChars;
  }

  remember(key: string, text: string, now: number): void {
    if (!this.isFragment(text)) {
      this.forget(key);
      return;
    }
    const kept = [...(this.byKey.get(key) ?? []), { text, at: now }].slice(-this.options.keep);
    // Re-inserting moves the key to the end: the Map's order is least recently active first.
    this.byKey.delete(key);
    this.byKey.set(key, kept);
    if (this.byKey.size > this.options.maxConversations) this.byKey.delete(this.byKey.keys().next().value!);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
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
  turn: { key: string; text: string; alone: ScreenResult; now: number; answersQuestion: boolean },
): Promise<ScreenedInContext> {
  const { key, text, alone, now, answersQuestion } = turn;
  let outcome: ScreenedInContext = { result: alone, excerpt: text };
  const earlier = alone.severity === 'none' && !answersQuestion && recentMessages.isFragment(text) ? recentMessages.recent(key, now) : [];
  if (earlier.length > 0) {
    const joined = [...earlier, text].join(' ');
    // A failure here only loses the extra reading: the message's own result stands.
    const together = await Promise.resolve()
      .then(() => screen(joined))
      .catch(() => alone);
    if (severityRank(together.severity) > severityRank(alone.severity)) {
      outcome = { result: { ...together, reasons: [...together.reasons, RECENT_CONTEXT_REASON] }, excerpt: joined };
    }
  }
  if (outcome.result.severity === 'none' && !answersQuestion) recentMessages.remember(key, text, now);
  else recentMessages.forget(key);
  return outcome;
}
