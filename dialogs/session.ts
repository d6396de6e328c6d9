import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Profile } from '../services/profiles/profile';
import type { JourneyServices } from './journey-services';
import { storedReference, userKey } from './turn';

/**
 * What a conversation remembers outside any dialog: whether the young person said "not now" to
 * saving anything (so Tribe does not keep asking), and whether they have been welcomed. It lives in
 * conversation state, holds nothing personal, and goes with "delete my data".
 */
export interface Session {
  consentDeclined?: boolean;
  welcomed?: boolean;
}

export type SessionAccessor = StatePropertyAccessor<Session>;

export async function sessionOf(context: TurnContext, accessor: SessionAccessor): Promise<Session> {
  return accessor.get(context, {});
}

const PROFILE_KEY = Symbol('tribe.profile');
/** Set when "delete my data" ran: the bot then deletes this conversation's and user's state. */
export const ERASED_KEY = 'tribe.erased';

/** The young person's profile, read once per turn (null without consent). */
export async function profileOf(context: TurnContext, services: JourneyServices): Promise<Profile | null> {
  if (context.turnState.has(PROFILE_KEY)) return context.turnState.get(PROFILE_KEY) as Profile | null;
  const profile = await services.profiles.get(userKey(context));
  context.turnState.set(PROFILE_KEY, profile);
  return profile;
}

/** Keeps the per-turn copy in step after a change. */
export function rememberProfile(context: TurnContext, profile: Profile | null): void {
  context.turnState.set(PROFILE_KEY, profile);
}

/** Keeps the conversation reference for reminders up to date (a write only when it changed). */
export async function refreshReference(context: TurnContext, services: JourneyServices, profile: Profile): Promise<void> {
  const reference = storedReference(context);
  if (JSON.stringify(profile.reference ?? null) === JSON.stringify(reference)) return;
  rememberProfile(context, await services.profiles.update(profile._id, { reference }));
}
