import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock';
import { DuplicateKeyError, type Collection, type DocumentStore } from '../store/port';
import type { AdviserDirectory } from './adviser-directory';

/**
 * Short, single-use codes with an explicit expiry timestamp (no TTL index).
 *
 * - `care-leaver-link`: a PA issues one; the care leaver types it during onboarding, which links
 *   them to that PA (engineer E's onboarding calls `redeemInviteCode`).
 * - `adviser-link`: an adviser issues one for themself in the console and types it to the bot in
 *   Teams, which registers that Teams conversation for their escalation notices.
 *
 * Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown `ABCD-EFGH`.
 * Only a SHA-256 digest of the code is stored.
 */
export const INVITE_CODES_COLLECTION = 'invite_codes';
export const INVITE_ATTEMPTS_COLLECTION = 'invite_attempts';

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
/** After trimming and upper-casing: 8 alphabet characters, optionally split 4-4 by one hyphen. */
export const inviteCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-?[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}$/, 'an invite code looks like ABCD-EFGH')
  .transform((code) => code.replace('-', ''));

export type CodePurpose = 'care-leaver-link' | 'adviser-link';

interface CodeDoc {
  _id: string;
  purpose: CodePurpose;
  adviserId: string;
  /** ISO-8601 UTC strings: they compare as text. */
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  [key: string]: unknown;
}

interface AttemptDoc {
  _id: string;
  windowStart: string;
  failures: number;
  [key: string]: unknown;
}

export interface InviteCodeOptions {
  careLeaverTtlMs: number;
  adviserLinkTtlMs: number;
  /** Failed redemptions allowed per redeemer per window, against guessing. */
  maxFailures: number;
  failureWindowMs: number;
}

export const defaultInviteCodeOptions: InviteCodeOptions = {
  careLeaverTtlMs: 7 * 24 * 60 * 60_000,
  adviserLinkTtlMs: 30 * 60_000,
  maxFailures: 10,
  failureWindowMs: 60 * 60_000,
};

export interface InviteCodeDeps {
  store: DocumentStore;
  clock: Clock;
  advisers: AdviserDirectory;
  options?: Partial<InviteCodeOptions>;
}

export type RedeemResult =
  | { ok: true; adviserId: string }
  | { ok: false; reason: 'invalid-format' | 'not-found' | 'expired' | 'used' | 'too-many-attempts' };

function hashCode(normalised: string): string {
  return createHash('sha256').update(`tribe-invite:${normalised}`).digest('hex');
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function formatCode(normalised: string): string {
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

export class UnknownAdviserError extends Error {
  override readonly name = 'UnknownAdviserError';
}

export function createInviteCodes(deps: InviteCodeDeps) {
  const options = { ...defaultInviteCodeOptions, ...deps.options };
  const codes: Collection<CodeDoc> = deps.store.collection<CodeDoc>(INVITE_CODES_COLLECTION);
  const attempts: Collection<AttemptDoc> = deps.store.collection<AttemptDoc>(INVITE_ATTEMPTS_COLLECTION);

  async function issue(adviserId: string, purpose: CodePurpose): Promise<{ code: string; expiresAt: Date }> {
    if (!deps.advisers.get(adviserId)) throw new UnknownAdviserError('no such adviser');
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + (purpose === 'adviser-link' ? options.adviserLinkTtlMs : options.careLeaverTtlMs));
    for (let tries = 0; tries < 5; tries += 1) {
      const code = newCode();
      try {
        await codes.insertOne({
          _id: hashCode(code),
          purpose,
          adviserId,
          createdAt: now.toISOString(),
          expiresAt: expiresAt.toISOString(),
          usedAt: null,
          usedBy: null,
        });
        return { code: formatCode(code), expiresAt };
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
    throw new Error('could not find a free invite code');
  }

  async function tooManyFailures(redeemer: string, now: Date): Promise<boolean> {
    const doc = await attempts.findOne({ _id: redeemer });
    return !!doc && now.getTime() - Date.parse(doc.windowStart) < options.failureWindowMs && doc.failures >= options.maxFailures;
  }

  async function recordFailure(redeemer: string, now: Date): Promise<void> {
    const windowOpen = new Date(now.getTime() - options.failureWindowMs).toISOString();
    const inWindow = await attempts.updateOne({ _id: redeemer, windowStart: { $gt: windowOpen } }, { $inc: { failures: 1 } });
    if (inWindow.matchedCount === 1) return;
    await attempts.updateOne({ _id: redeemer }, { $set: { windowStart: now.toISOString(), failures: 1 } }, { upsert: true });
  }

  async function redeem(code: string, redeemer: string, purpose: CodePurpose): Promise<RedeemResult> {
    const parsed = inviteCodeSchema.safeParse(code);
    if (!parsed.success) return { ok: false, reason: 'invalid-format' };
    const now = deps.clock.now();
    const attemptKey = createHash('sha256').update(`${purpose}:${redeemer}`).digest('hex');
    if (await tooManyFailures(attemptKey, now)) return { ok: false, reason: 'too-many-attempts' };

    const id = hashCode(parsed.data);
    const claimed = await codes.findOneAndUpdate(
      { _id: id, purpose, usedAt: null, expiresAt: { $gt: now.toISOString() } },
      { $set: { usedAt: now.toISOString(), usedBy: redeemer } },
    );
    if (claimed) {
      if (!deps.advisers.get(claimed.adviserId)) return { ok: false, reason: 'not-found' };
      return { ok: true, adviserId: claimed.adviserId };
    }
    await recordFailure(attemptKey, now);
    const existing = await codes.findOne({ _id: id, purpose });
    if (!existing) return { ok: false, reason: 'not-found' };
    if (existing.usedAt) return { ok: false, reason: 'used' };
    return { ok: false, reason: 'expired' };
  }

  return {
    /** A PA's code for a care leaver to type during onboarding. */
    issueInviteCode: (adviserId: string) => issue(adviserId, 'care-leaver-link'),
    /** Links `userKey` to the PA who issued the code; single use, strict format. */
    redeemInviteCode: (code: string, userKey: string) => redeem(code, userKey, 'care-leaver-link'),
    /** An adviser's own code, typed to the bot in Teams to register that conversation. */
    issueAdviserLinkCode: (adviserId: string) => issue(adviserId, 'adviser-link'),
    redeemAdviserLinkCode: (code: string, channelUserKey: string) => redeem(code, channelUserKey, 'adviser-link'),
  };
}

export type InviteCodes = ReturnType<typeof createInviteCodes>;
