import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';

/**
 * A question the safety reply just asked, waiting for the young person's answer in the same
 * conversation: "Are you safe right now?" (safe-check) or "Shall I tell your PA?" (medium-offer).
 * One per conversation, expiring by an explicit timestamp. Holds ids and button labels only.
 */
export const SAFETY_FOLLOW_UPS_COLLECTION = 'safety_follow_ups';

export type FollowUpKind = 'safe-check' | 'medium-offer';

export interface FollowUp {
  _id: string;
  kind: FollowUpKind;
  escalationId: string;
  userKey: string;
  /** The template's two suggestions as shown: [yes, no]. */
  labels: [string, string];
  askedAt: string;
  expiresAt: string;
  [key: string]: unknown;
}

export type FollowUpAnswer = 'yes' | 'no';

const YES = /^(yes|yeah|yep|yup|y|ok|okay|please|yes please)$/;
/** To "Are you safe right now?", "ok" may mean "ok, I'll call" and "please" is a plea: not "safe". */
const SAFE = /^(yes|yeah|yep|yup|y|yes i am|i am safe|im safe|i'm safe|safe)$/;
const NO = /^(no|nope|nah|n|no thanks|not now)$/;
/** Replies to "Are you safe right now?" that answer neither way: asked again, never guessed. */
const UNCLEAR_TO_SAFE_CHECK = /^(ok|okay|k|kk|alright|ok then|please|thanks|thank you|ty)$/;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The answer a message gives to a pending question: a button label, or a bare yes or no. */
export function answerTo(followUp: Pick<FollowUp, 'kind' | 'labels'>, text: string): FollowUpAnswer | null {
  const said = normalise(text);
  if (!said) return null;
  if (said === normalise(followUp.labels[0]) || (followUp.kind === 'safe-check' ? SAFE : YES).test(said)) return 'yes';
  if (said === normalise(followUp.labels[1]) || NO.test(said)) return 'no';
  return null;
}

/** Whether a message acknowledges "Are you safe right now?" without answering it ("ok", "please"). */
export function leavesSafeCheckOpen(followUp: Pick<FollowUp, 'kind'>, text: string): boolean {
  return followUp.kind === 'safe-check' && UNCLEAR_TO_SAFE_CHECK.test(normalise(text));
}

export class FollowUps {
  private readonly docs: Collection<FollowUp>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
  ) {
    this.docs = store.collection<FollowUp>(SAFETY_FOLLOW_UPS_COLLECTION);
  }

  async ask(conversationKey: string, followUp: Pick<FollowUp, 'kind' | 'escalationId' | 'userKey' | 'labels'>): Promise<void> {
    const now = this.clock.now();
    await this.docs.updateOne(
      { _id: conversationKey },
      { $set: { ...followUp, askedAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.ttlMs).toISOString() } },
      { upsert: true },
    );
  }

  async pending(conversationKey: string): Promise<FollowUp | null> {
    return this.docs.findOne({ _id: conversationKey, expiresAt: { $gt: this.clock.now().toISOString() } });
  }

  async clear(conversationKey: string): Promise<void> {
    await this.docs.deleteOne({ _id: conversationKey });
  }
}
