import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Clock, londonDate } from '../clock';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import type { Collection, DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/** Check-ins: a mood from 1 (very low) to 5 (great) and an optional note, with a trend over time. */
export const CHECKINS_COLLECTION = 'checkins';
export const NOTE_MAX = 500;
/** At or below this, Tribe offers to tell their PA. */
export const LOW_MOOD = 2;

export const moodSchema = z.number().int().min(1).max(5);
export const noteSchema = z.string().trim().min(1).max(NOTE_MAX);

export interface CheckIn {
  _id: string;
  userKey: string;
  mood: number;
  note: string | null;
  at: string;
  /** The Europe/London calendar day. */
  day: string;
  [key: string]: unknown;
}

export type TrendDirection = 'up' | 'down' | 'steady' | 'first';

export interface Trend {
  /** Oldest first, at most `TREND_POINTS`. */
  moods: number[];
  average: number;
  direction: TrendDirection;
}

export const TREND_POINTS = 6;

/** Compares the latest mood with the average of the ones before it (within half a point is steady). */
export function trendOf(checkIns: readonly Pick<CheckIn, 'mood' | 'at'>[]): Trend | null {
  if (checkIns.length === 0) return null;
  const moods = [...checkIns]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-TREND_POINTS)
    .map((checkIn) => checkIn.mood);
  const average = Math.round((moods.reduce((sum, mood) => sum + mood, 0) / moods.length) * 10) / 10;
  if (moods.length === 1) return { moods, average, direction: 'first' };
  const latest = moods[moods.length - 1]!;
  const before = moods.slice(0, -1);
  const earlier = before.reduce((sum, mood) => sum + mood, 0) / before.length;
  const direction: TrendDirection = latest - earlier > 0.5 ? 'up' : earlier - latest > 0.5 ? 'down' : 'steady';
  return { moods, average, direction };
}

export function isLowMood(mood: number): boolean {
  return mood <= LOW_MOOD;
}

export class CheckIns implements PersonalDataHolder {
  readonly section = 'checkIns';
  private readonly checkIns: Collection<CheckIn>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.checkIns = store.collection<CheckIn>(CHECKINS_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [this.checkIns.createIndex({ userKey: 1, at: -1 })]);

  async record(userKey: string, mood: number, note?: string | null): Promise<CheckIn> {
    await this.ensureIndexes();
    const now = this.clock.now();
    const checkIn: CheckIn = {
      _id: `ci-${randomUUID()}`,
      userKey,
      mood: moodSchema.parse(mood),
      note: note ? noteSchema.parse(note) : null,
      at: now.toISOString(),
      day: londonDate(now),
    };
    await this.checkIns.insertOne(checkIn);
    return checkIn;
  }

  async recent(userKey: string, limit = TREND_POINTS): Promise<CheckIn[]> {
    await this.ensureIndexes();
    return this.checkIns.find({ userKey }, { sort: { at: -1 }, limit });
  }

  async trend(userKey: string): Promise<Trend | null> {
    return trendOf(await this.recent(userKey));
  }

  async exportFor(userKey: string): Promise<unknown> {
    const all = await this.checkIns.find({ userKey }, { sort: { at: 1 } });
    return all.map(({ mood, note, at }) => ({ mood, note, at }));
  }

  async eraseFor(userKey: string): Promise<number> {
    return (await this.checkIns.deleteMany({ userKey })).deletedCount;
  }
}
