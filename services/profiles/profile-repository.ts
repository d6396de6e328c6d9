import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';
import type { StoredReference } from '../messaging/messenger';
import { profileSchema, type Birth, type Home, type Profile, type Situation } from './profile';

export const PROFILES_COLLECTION = 'profiles';

/** What onboarding and the journeys may change. `null` clears a field. */
export interface ProfilePatch {
  preferredName?: string | null;
  birth?: Birth | null;
  councilId?: string | null;
  situations?: Situation[];
  home?: Home | null;
  adviserId?: string | null;
  remindersPaused?: boolean;
  onboardedAt?: string;
  reference?: StoredReference;
}

export class NoConsentError extends Error {
  constructor() {
    super('no profile: the young person has not given consent');
    this.name = 'NoConsentError';
  }
}

type ProfileDocument = Profile & Record<string, unknown>;

/**
 * Profiles keyed by the stable user key. A profile exists only after consent, and holds only
 * what onboarding asked for; `delete` removes it entirely.
 */
export class ProfileRepository {
  private readonly profiles: Collection<ProfileDocument>;

  constructor(store: DocumentStore, private readonly clock: Clock) {
    this.profiles = store.collection<ProfileDocument>(PROFILES_COLLECTION);
  }

  async get(userKey: string): Promise<Profile | null> {
    const doc = await this.profiles.findOne({ _id: userKey });
    return doc ? profileSchema.parse(doc) : null;
  }

  /** Records consent (idempotent: a second call keeps the first profile and refreshes consent). */
  async giveConsent(userKey: string, version: string): Promise<Profile> {
    const now = this.clock.now().toISOString();
    await this.profiles.updateOne(
      { _id: userKey },
      {
        $set: { consent: { version, givenAt: now }, updatedAt: now },
        $setOnInsert: { remindersPaused: false, createdAt: now },
      },
      { upsert: true },
    );
    return (await this.get(userKey))!;
  }

  /** Changes a consented profile; refuses when there is none, so nothing is stored without consent. */
  async update(userKey: string, patch: ProfilePatch): Promise<Profile> {
    const set: Record<string, unknown> = { updatedAt: this.clock.now().toISOString() };
    const unset: Record<string, true> = {};
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) unset[field] = true;
      else set[field] = value;
    }
    const update = Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set };
    // One round trip: the store returns the profile as updated (no second read).
    const updated = await this.profiles.findOneAndUpdate({ _id: userKey }, update);
    if (!updated) throw new NoConsentError();
    return profileSchema.parse(updated);
  }

  /** Profiles that may get reminders (not paused, with somewhere to send them). */
  async withReminders(): Promise<Profile[]> {
    const docs = await this.profiles.find({ remindersPaused: false, reference: { $exists: true } });
    return docs.map((doc) => profileSchema.parse(doc));
  }

  async delete(userKey: string): Promise<boolean> {
    return (await this.profiles.deleteOne({ _id: userKey })).deletedCount > 0;
  }
}

/** The profile's part of "export my data" and "delete my data" (`services/privacy`). */
export function profileDataHolder(profiles: ProfileRepository) {
  return {
    section: 'profile',
    async exportFor(userKey: string) {
      const profile = await profiles.get(userKey);
      if (!profile) return null;
      const { _id: _key, reference: _reference, ...rest } = profile;
      return rest;
    },
    async eraseFor(userKey: string) {
      return (await profiles.delete(userKey)) ? 1 : 0;
    },
  };
}
