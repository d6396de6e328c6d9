import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';

/**
 * An export waiting to be handed over outside the chat: a Teams file-consent card the young person
 * has not answered yet, or a one-time download link. Only the young person's key is kept, never a
 * copy of their data: the export is made fresh when the handoff is used. Each handoff is one use,
 * expires after a short time (compared by timestamp, no TTL index) and is deleted on use, on
 * decline, on expiry, and when the young person deletes their data.
 *
 * The token is 32 random bytes (base64url, 43 characters); only its SHA-256 digest is stored.
 */
export const EXPORT_HANDOFFS_COLLECTION = 'export_handoffs';
export const EXPORT_HANDOFF_TTL_MS = 15 * 60_000;

/** `teams-consent`: the id in a file-consent card's accept and decline context. `download`: a link. */
export type HandoffKind = 'teams-consent' | 'download';

/** The only shape a token can have: base64url of 32 bytes. */
export const HANDOFF_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

interface HandoffDoc {
  _id: string;
  kind: HandoffKind;
  userKey: string;
  /** ISO-8601 UTC strings: they compare as text. */
  createdAt: string;
  expiresAt: string;
  [key: string]: unknown;
}

export interface Handoff {
  token: string;
  expiresAt: Date;
}

function digest(token: string): string {
  return createHash('sha256').update(`tribe-export:${token}`).digest('hex');
}

export class ExportHandoffs {
  private readonly handoffs: Collection<HandoffDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
    readonly ttlMs: number = EXPORT_HANDOFF_TTL_MS,
  ) {
    this.handoffs = store.collection<HandoffDoc>(EXPORT_HANDOFFS_COLLECTION);
  }

  /** A new single-use handoff of `userKey`'s export; clears out any that have expired. */
  async offer(userKey: string, kind: HandoffKind): Promise<Handoff> {
    const now = this.clock.now();
    await this.handoffs.deleteMany({ expiresAt: { $lte: now.toISOString() } });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.handoffs.insertOne({ _id: digest(token), kind, userKey, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    return { token, expiresAt };
  }

  /**
   * Uses a handoff: deletes it and returns whose export it was, or null when the token is malformed,
   * unknown, already used, expired (it is deleted then too), of another kind, or (when `userKey`
   * is given) someone else's. Of two concurrent claims only the one whose delete lands wins.
   */
  async claim(token: string, kind: HandoffKind, userKey?: string): Promise<string | null> {
    return (await this.claimUndoably(token, kind, userKey))?.owner ?? null;
  }

  /**
   * `claim`, with a way to put the handoff back unused (until its own expiry) when what it was
   * claimed for fails: a failed download must not spend the link.
   */
  async claimUndoably(token: string, kind: HandoffKind, userKey?: string): Promise<{ owner: string; undo(): Promise<void> } | null> {
    const doc = await this.find(token, kind, userKey);
    if (!doc) return null;
    const { deletedCount } = await this.handoffs.deleteOne({ _id: doc._id });
    if (deletedCount !== 1 || doc.expiresAt <= this.clock.now().toISOString()) return null;
    return {
      owner: doc.userKey,
      undo: async () => {
        await this.handoffs.insertOne(doc);
      },
    };
  }

  /** Throws a handoff away unused (a declined file-consent card); true when there was one. */
  async discard(token: string, kind: HandoffKind, userKey: string): Promise<boolean> {
    const doc = await this.find(token, kind, userKey);
    if (!doc) return false;
    return (await this.handoffs.deleteOne({ _id: doc._id })).deletedCount === 1;
  }

  /** Delete my data: every handoff of theirs goes, used or not. */
  async eraseFor(userKey: string): Promise<number> {
    return (await this.handoffs.deleteMany({ userKey })).deletedCount;
  }

  private async find(token: string, kind: HandoffKind, userKey?: string): Promise<HandoffDoc | null> {
    if (!HANDOFF_TOKEN_PATTERN.test(token)) return null;
    const doc = await this.handoffs.findOne({ _id: digest(token), kind });
    if (!doc || (userKey !== undefined && doc.userKey !== userKey)) return null;
    return doc;
  }
}
