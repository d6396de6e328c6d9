import { z } from 'zod';
import { type Clock, londonDate } from '../clock';
import type { Entitlement } from '../content/schemas';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import { addMonths } from '../content/catalog';
import { ageOn, dateOfReachingAge } from '../profiles/age';
import type { Profile } from '../profiles/profile';
import type { Collection, DocumentStore } from '../store/port';
import { ChecklistCards } from './checklist-cards';
import { circumstance, type Facts } from './circumstances';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * The entitlements tracker: a checklist personalised from the catalogue's eligibility data, a
 * status the young person sets for each item, a progress summary and reminders before an age limit.
 */
export const ENTITLEMENT_STATUS_COLLECTION = 'entitlement_statuses';

export const STATUSES = ['not-started', 'asked', 'applied', 'getting-it', 'not-for-me'] as const;
export type Status = (typeof STATUSES)[number];
export const statusSchema = z.enum(STATUSES);

/** How long before an age limit the reminder goes out. */
export const REMINDER_MONTHS_BEFORE = 3;

export type Fit = 'yes' | 'maybe';

export interface ChecklistItem {
  entitlement: Entitlement;
  /** `maybe`: some circumstance is unknown, so "ask your PA if this is for you". */
  fit: Fit;
  status: Status;
  /** The day they stop being eligible by age (they reach `maxAge + 1`): known with a date of birth. */
  endsOn?: string;
  /** When a reminder is due, if one applies (limit known, not already getting it or not for them). */
  remindOn?: string;
}

export interface Progress {
  total: number;
  counts: Record<Status, number>;
}

interface StatusDoc {
  _id: string;
  userKey: string;
  entitlementId: string;
  status: Status;
  updatedAt: string;
  [key: string]: unknown;
}

export interface ChecklistInput {
  entitlements: readonly Entitlement[];
  /** Null without consent: then the general list for a care leaver of unknown age. */
  profile: Profile | null;
  statuses: ReadonlyMap<string, Status>;
  goalPlans: readonly string[];
  today: string;
}

/** Is this entitlement for them: yes, maybe (ask your PA), or no (left off the list)? */
export function fitOf(entitlement: Entitlement, facts: Facts): Fit | null {
  const rule = entitlement.eligibility;
  if (!rule.inForce) return null;
  let unknown = false;
  if (facts.age === undefined) unknown = true;
  else if (facts.age < rule.minAge || (rule.maxAge !== undefined && facts.age > rule.maxAge)) return null;
  for (const name of rule.situations) {
    const answer = circumstance(name, facts);
    if (answer === 'no') return null;
    if (answer === 'unknown') unknown = true;
  }
  return unknown ? 'maybe' : 'yes';
}

export function factsOf(profile: Profile | null, goalPlans: readonly string[], today: string): Facts {
  return {
    age: profile?.birth ? ageOn(profile.birth, today) : undefined,
    situations: profile?.situations,
    home: profile?.home,
    goalPlans,
  };
}

/** The personalised checklist: sure ones first, then soonest age limit, then by title. */
export function buildChecklist(input: ChecklistInput): ChecklistItem[] {
  const facts = factsOf(input.profile, input.goalPlans, input.today);
  const items: ChecklistItem[] = [];
  for (const entitlement of input.entitlements) {
    const fit = fitOf(entitlement, facts);
    if (!fit) continue;
    const status = input.statuses.get(entitlement.id) ?? 'not-started';
    const item: ChecklistItem = { entitlement, fit, status };
    const maxAge = entitlement.eligibility.maxAge;
    // Only a date of birth gives the day a limit passes; an age alone could be out by a year.
    if (input.profile?.birth?.kind === 'dob' && maxAge !== undefined) {
      item.endsOn = dateOfReachingAge(input.profile.birth, maxAge + 1);
      if (status !== 'getting-it' && status !== 'not-for-me') item.remindOn = addMonths(item.endsOn, -REMINDER_MONTHS_BEFORE);
    }
    items.push(item);
  }
  return items.sort(
    (a, b) =>
      (a.fit === b.fit ? 0 : a.fit === 'yes' ? -1 : 1) ||
      (a.endsOn ?? '9999').localeCompare(b.endsOn ?? '9999') ||
      a.entitlement.title.localeCompare(b.entitlement.title),
  );
}

export function progressOf(items: readonly ChecklistItem[]): Progress {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const item of items) counts[item.status] += 1;
  return { total: items.length - counts['not-for-me'], counts };
}

/** Reminders due today: the reminder date has come and the limit has not passed. */
export function dueReminders(items: readonly ChecklistItem[], today: string): ChecklistItem[] {
  return items.filter((item) => item.remindOn && item.endsOn && item.remindOn <= today && today < item.endsOn);
}

export class EntitlementStatuses implements PersonalDataHolder {
  readonly section = 'entitlements';
  private readonly docs: Collection<StatusDoc>;
  /** Which messages show their checklist cards (ids only): erased with the statuses. */
  readonly cards: ChecklistCards;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.docs = store.collection<StatusDoc>(ENTITLEMENT_STATUS_COLLECTION);
    this.cards = new ChecklistCards(store, clock);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [this.docs.createIndex({ userKey: 1 })]);

  async forUser(userKey: string): Promise<Map<string, Status>> {
    await this.ensureIndexes();
    const docs = await this.docs.find({ userKey });
    return new Map(docs.map((doc) => [doc.entitlementId, doc.status]));
  }

  async set(userKey: string, entitlementId: string, status: Status): Promise<void> {
    await this.ensureIndexes();
    await this.docs.updateOne(
      { _id: `${userKey}|${entitlementId}` },
      { $set: { userKey, entitlementId, status: statusSchema.parse(status), updatedAt: this.clock.now().toISOString() } },
      { upsert: true },
    );
  }

  async exportFor(userKey: string): Promise<unknown> {
    const docs = await this.docs.find({ userKey }, { sort: { entitlementId: 1 } });
    return docs.map(({ entitlementId, status, updatedAt }) => ({ entitlement: entitlementId, status, updatedAt }));
  }

  async eraseFor(userKey: string): Promise<number> {
    const statuses = (await this.docs.deleteMany({ userKey })).deletedCount;
    return statuses + (await this.cards.eraseFor(userKey));
  }
}

/** Today's checklist for one young person, read from the catalogue and their saved statuses. */
export class EntitlementTracker {
  constructor(
    private readonly deps: {
      entitlements: () => readonly Entitlement[];
      statuses: EntitlementStatuses;
      goalPlans: (userKey: string) => Promise<string[]>;
      clock: Clock;
    },
  ) {}

  today(): string {
    return londonDate(this.deps.clock.now());
  }

  async checklist(userKey: string, profile: Profile | null): Promise<ChecklistItem[]> {
    const [statuses, goalPlans] = profile
      ? await Promise.all([this.deps.statuses.forUser(userKey), this.deps.goalPlans(userKey)])
      : [new Map<string, Status>(), []];
    return buildChecklist({ entitlements: this.deps.entitlements(), profile, statuses, goalPlans, today: this.today() });
  }

  /** Where their checklist cards are, to update one in place after a status tap. */
  get cards(): ChecklistCards {
    return this.deps.statuses.cards;
  }

  find(entitlementId: string): Entitlement | undefined {
    return this.deps.entitlements().find((entitlement) => entitlement.id === entitlementId);
  }

  setStatus(userKey: string, entitlementId: string, status: Status): Promise<void> {
    return this.deps.statuses.set(userKey, entitlementId, status);
  }
}
