import type { OwnerResolver } from './deps';

/** An `OwnerResolver` over engineer E's profile repository: the profile's linked PA, if any. */
export function ownerFromProfiles(profiles: { get(userKey: string): Promise<{ adviserId?: string } | null> }): OwnerResolver {
  return async (userKey) => (await profiles.get(userKey))?.adviserId ?? null;
}
