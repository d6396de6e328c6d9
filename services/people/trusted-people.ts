import { createHash, randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CODE_ALPHABET } from '../advisers/invite-codes';
import type { Clock } from '../clock';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import type { Collection, DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * My people: the adults a care leaver trusts. Each gets a single-use invite code (only its digest
 * is stored) and hears only about the topics the care leaver chose (least disclosure).
 */
export const TRUSTED_PEOPLE_COLLECTION = 'trusted_people';
export const TRUSTED_INVITE_ATTEMPTS_COLLECTION = 'trusted_invite_attempts';

export const RELATIONSHIPS = ['foster-carer', 'family', 'friend', 'mentor', 'worker', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** What a trusted adult may hear about. `nudges`: a reminder to get in touch when it has been a while. */
export const SHARE_TOPICS = ['nudges', 'check-ins', 'goals', 'entitlements'] as const;
export type ShareTopic = (typeof SHARE_TOPICS)[number];
export const DEFAULT_SHARES: readonly ShareTopic[] = ['nudges'];

export type PersonStatus = 'invited' | 'active' | 'paused';

export const MAX_PEOPLE = 10;
export const INVITE_TTL_DAYS = 14;

export const personNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}][\p{L}\p{M} '’.-]*$/u, 'letters, spaces, hyphens and apostrophes');

/** A trusted adult's invite: 12 characters from the no-look-alikes alphabet, shown ABCD-EFGH-JKMN. */
export const trustedInviteCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-?[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-?[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}$/, 'a code looks like ABCD-EFGH-JKMN')
  .transform((code) => code.replace(/-/g, ''));

export interface TrustedPerson {
  _id: string;
  userKey: string;
  name: string;
  relationship: Relationship;
  shares: ShareTopic[];
  status: PersonStatus;
  inviteHash: string | null;
  inviteExpiresAt: string | null;
  /** The adult's own user key once they have joined with the code. */
  adultUserKey: string | null;
  joinedAt: string | null;
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

interface AttemptDoc {
  _id: string;
  windowStart: string;
  failures: number;
  [key: string]: unknown;
}

export type RedeemTrustedInvite =
  | { ok: true; personId: string; careLeaverKey: string; shares: ShareTopic[] }
  | { ok: false; reason: 'invalid-format' | 'not-found' | 'expired' | 'too-many-attempts' };

export class TooManyPeopleError extends Error {
  override readonly name = 'TooManyPeopleError';
}

function digest(code: string): string {
  return createHash('sha256').update(`tribe-trusted:${code}`).digest('hex');
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < 12; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function formatTrustedCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 60 * 60_000;

export class TrustedPeople implements PersonalDataHolder {
  readonly section = 'people';
  private readonly people: Collection<TrustedPerson>;
  private readonly attempts: Collection<AttemptDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.people = store.collection<TrustedPerson>(TRUSTED_PEOPLE_COLLECTION);
    this.attempts = store.collection<AttemptDoc>(TRUSTED_INVITE_ATTEMPTS_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [
    this.people.createIndex({ userKey: 1 }),
    this.people.createIndex({ inviteHash: 1 }),
    this.people.createIndex({ adultUserKey: 1 }),
  ]);

  async list(userKey: string): Promise<TrustedPerson[]> {
    await this.ensureIndexes();
    return this.people.find({ userKey }, { sort: { createdAt: 1 } });
  }

  async get(userKey: string, personId: string): Promise<TrustedPerson | null> {
    return this.people.findOne({ _id: personId, userKey });
  }

  /** Adds someone and returns their invite code (shown once; only its digest is kept). */
  async add(
    userKey: string,
    input: { name: string; relationship: Relationship; shares?: readonly ShareTopic[] },
  ): Promise<{ person: TrustedPerson; code: string; expiresAt: string }> {
    await this.ensureIndexes();
    const name = personNameSchema.parse(input.name);
    if ((await this.people.countDocuments({ userKey })) >= MAX_PEOPLE) throw new TooManyPeopleError(`at most ${MAX_PEOPLE} people`);
    const now = this.clock.now();
    const code = newCode();
    const expiresAt = new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000).toISOString();
    const person: TrustedPerson = {
      _id: `tp-${randomUUID()}`,
      userKey,
      name,
      relationship: input.relationship,
      shares: [...new Set(input.shares ?? DEFAULT_SHARES)],
      status: 'invited',
      inviteHash: digest(code),
      inviteExpiresAt: expiresAt,
      adultUserKey: null,
      joinedAt: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.people.insertOne(person);
    return { person, code: formatTrustedCode(code), expiresAt };
  }

  async setShares(userKey: string, personId: string, shares: readonly ShareTopic[]): Promise<boolean> {
    const checked = z.array(z.enum(SHARE_TOPICS)).parse([...new Set(shares)]);
    const result = await this.people.updateOne(
      { _id: personId, userKey },
      { $set: { shares: checked, updatedAt: this.clock.now().toISOString() } },
    );
    return result.matchedCount === 1;
  }

  /** Pause: they hear nothing until resumed. Resume returns them to invited or active. */
  async setPaused(userKey: string, personId: string, paused: boolean): Promise<boolean> {
    const person = await this.get(userKey, personId);
    if (!person) return false;
    const status: PersonStatus = paused ? 'paused' : person.adultUserKey ? 'active' : 'invited';
    await this.people.updateOne({ _id: personId, userKey }, { $set: { status, updatedAt: this.clock.now().toISOString() } });
    return true;
  }

  async remove(userKey: string, personId: string): Promise<boolean> {
    return (await this.people.deleteOne({ _id: personId, userKey })).deletedCount === 1;
  }

  /** The trusted adult's side: joins with the code the care leaver gave them. Single use. */
  async redeemInvite(code: string, adultUserKey: string): Promise<RedeemTrustedInvite> {
    const parsed = trustedInviteCodeSchema.safeParse(code);
    if (!parsed.success) return { ok: false, reason: 'invalid-format' };
    await this.ensureIndexes();
    const now = this.clock.now();
    const attemptKey = createHash('sha256').update(`trusted:${adultUserKey}`).digest('hex');
    const attempt = await this.attempts.findOne({ _id: attemptKey });
    if (attempt && now.getTime() - Date.parse(attempt.windowStart) < FAILURE_WINDOW_MS && attempt.failures >= MAX_FAILURES) {
      return { ok: false, reason: 'too-many-attempts' };
    }
    const hash = digest(parsed.data);
    const joined = await this.people.findOneAndUpdate(
      { inviteHash: hash, inviteExpiresAt: { $gt: now.toISOString() }, adultUserKey: null },
      {
        $set: { adultUserKey, joinedAt: now.toISOString(), inviteHash: null, inviteExpiresAt: null, updatedAt: now.toISOString() },
      },
    );
    if (joined) {
      if (joined.status === 'invited') {
        await this.people.updateOne({ _id: joined._id, status: 'invited' }, { $set: { status: 'active' } });
      }
      return { ok: true, personId: joined._id, careLeaverKey: joined.userKey, shares: joined.shares };
    }
    const windowOpen = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
    const counted = await this.attempts.updateOne({ _id: attemptKey, windowStart: { $gt: windowOpen } }, { $inc: { failures: 1 } });
    if (counted.matchedCount === 0) {
      await this.attempts.updateOne({ _id: attemptKey }, { $set: { windowStart: now.toISOString(), failures: 1 } }, { upsert: true });
    }
    const expired = await this.people.findOne({ inviteHash: hash });
    return { ok: false, reason: expired ? 'expired' : 'not-found' };
  }

  /** Is this user someone's trusted adult (joined with a code)? */
  async isTrustedAdult(adultUserKey: string): Promise<boolean> {
    await this.ensureIndexes();
    return (await this.people.countDocuments({ adultUserKey })) > 0;
  }

  /** The people who may hear about `topic` from this care leaver now (not paused, joined). */
  async audienceFor(userKey: string, topic: ShareTopic): Promise<TrustedPerson[]> {
    const people = await this.people.find({ userKey, status: 'active' });
    return people.filter((person) => person.shares.includes(topic));
  }

  async exportFor(userKey: string): Promise<unknown> {
    const people = await this.list(userKey);
    return people.map((person) => ({
      name: person.name,
      relationship: person.relationship,
      mayHearAbout: person.shares,
      status: person.status,
      joined: person.adultUserKey !== null,
      addedAt: person.createdAt,
    }));
  }

  async eraseFor(userKey: string): Promise<number> {
    return (await this.people.deleteMany({ userKey })).deletedCount;
  }
}
