import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

/**
 * Advisers come from configuration: `ADVISER_TOKENS` (`adviserId=token,...`) and, in development,
 * `DEV_ADVISER_TOKEN` (a duty-team adviser). Tokens are kept only as SHA-256 digests and compared
 * in constant time against every entry, so neither the token nor which adviser matched leaks
 * through timing.
 *
 * Team membership: the duty team is `dutyAdviserIds` when given; otherwise any adviser whose id is
 * `duty` or starts with `duty-`, `duty.` or `duty_` (when `DUTY_ADVISERS` is not set).
 */
export type Team = 'duty' | 'pa';

export interface Adviser {
  readonly id: string;
  readonly team: Team;
}

export interface AdviserDirectory {
  /** The adviser holding this bearer token, or null. */
  authenticate(token: string): Adviser | null;
  get(adviserId: string): Adviser | null;
  list(): Adviser[];
  dutyTeam(): Adviser[];
}

export const DEV_ADVISER_ID = 'dev-duty';
const ADVISER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const DUTY_ID = /^duty(?:[-._].+)?$/i;

export class AdviserConfigError extends Error {
  override readonly name = 'AdviserConfigError';
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface AdviserDirectoryInput {
  adviserTokens?: string;
  devAdviserToken?: string;
  dutyAdviserIds?: readonly string[];
}

export function createAdviserDirectory(input: AdviserDirectoryInput): AdviserDirectory {
  const entries: Array<{ adviser: Adviser; hash: Buffer }> = [];
  const byId = new Map<string, Adviser>();
  const explicitDuty = input.dutyAdviserIds ? new Set(input.dutyAdviserIds) : null;
  const teamOf = (id: string): Team => (explicitDuty ? (explicitDuty.has(id) ? 'duty' : 'pa') : DUTY_ID.test(id) ? 'duty' : 'pa');

  const add = (id: string, token: string, team: Team) => {
    if (!ADVISER_ID.test(id)) throw new AdviserConfigError(`adviser id "${id.slice(0, 64)}" must be letters, digits, _ . or -`);
    if (token.length < 16) throw new AdviserConfigError(`the token of adviser ${id} must have at least 16 characters`);
    if (byId.has(id)) throw new AdviserConfigError(`adviser ${id} is listed twice`);
    const hash = digest(token);
    if (entries.some((entry) => timingSafeEqual(entry.hash, hash))) throw new AdviserConfigError(`adviser ${id} shares a token with another adviser`);
    const adviser: Adviser = Object.freeze({ id, team });
    entries.push({ adviser, hash });
    byId.set(id, adviser);
  };

  for (const pair of (input.adviserTokens ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new AdviserConfigError('ADVISER_TOKENS must be adviserId=token pairs');
    const id = pair.slice(0, at);
    add(id, pair.slice(at + 1), teamOf(id));
  }
  if (input.devAdviserToken) add(DEV_ADVISER_ID, input.devAdviserToken, 'duty');

  return {
    authenticate(token: string): Adviser | null {
      if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
      const hash = digest(token);
      let found: Adviser | null = null;
      for (const entry of entries) {
        // Compare against every entry, without an early exit.
        if (timingSafeEqual(entry.hash, hash)) found = entry.adviser;
      }
      return found;
    },
    get: (adviserId) => byId.get(adviserId) ?? null,
    list: () => [...byId.values()],
    dutyTeam: () => [...byId.values()].filter((adviser) => adviser.team === 'duty'),
  };
}

export function adviserDirectoryFromConfig(
  config: Pick<Config, 'ADVISER_TOKENS' | 'DEV_ADVISER_TOKEN'> & Partial<Pick<Config, 'DUTY_ADVISERS'>>,
): AdviserDirectory {
  return createAdviserDirectory({
    adviserTokens: config.ADVISER_TOKENS,
    devAdviserToken: config.DEV_ADVISER_TOKEN,
    dutyAdviserIds: config.DUTY_ADVISERS,
  });
}
