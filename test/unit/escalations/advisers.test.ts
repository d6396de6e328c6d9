import { AdviserConfigError, createAdviserDirectory, DEV_ADVISER_ID } from '../../../services/advisers/adviser-directory';
import { createInviteCodes, inviteCodeSchema } from '../../../services/advisers/invite-codes';
import { StoreRunCoordinator } from '../../../services/scheduling/run-coordinator';
import { FakeClock, openTestStore, storeKinds, testAdvisers } from '../../support/safeguarding';

describe('adviser directory', () => {
  const directory = createAdviserDirectory({
    adviserTokens: 'pa-alex=alex-token-0123456789,duty-kim=kim-token-0123456789',
    devAdviserToken: 'dev-token-0123456789',
  });

  it('authenticates by token and knows the teams', () => {
    expect(directory.authenticate('alex-token-0123456789')).toEqual({ id: 'pa-alex', team: 'pa' });
    expect(directory.authenticate('kim-token-0123456789')).toEqual({ id: 'duty-kim', team: 'duty' });
    expect(directory.authenticate('dev-token-0123456789')).toEqual({ id: DEV_ADVISER_ID, team: 'duty' });
    expect(directory.dutyTeam().map((a) => a.id).sort()).toEqual([DEV_ADVISER_ID, 'duty-kim']);
  });

  it.each(['', 'alex-token-012345678', 'alex-token-0123456789 ', 'x'.repeat(600)])('refuses bad token #%#', (token) => {
    expect(directory.authenticate(token)).toBeNull();
  });

  it('refuses shared tokens and repeated ids', () => {
    expect(() => createAdviserDirectory({ adviserTokens: 'a=same-token-0123456789,b=same-token-0123456789' })).toThrow(AdviserConfigError);
    expect(() => createAdviserDirectory({ adviserTokens: 'a=token-a-0123456789', devAdviserToken: 'token-a-0123456789' })).toThrow(AdviserConfigError);
    expect(() => createAdviserDirectory({ adviserTokens: 'a=t1-0123456789abcdef,a=t2-0123456789abcdef' })).toThrow(AdviserConfigError);
  });
});

describe('invite code format', () => {
  it.each(['ABCD-EFGH', 'abcd-efgh', ' ABCDEFGH ', 'Z2Z3-Y4Y5'])('accepts %j', (code) => expect(inviteCodeSchema.safeParse(code).success).toBe(true));
  it.each(['ABCD-EFG', 'ABCD-EFGHJ', 'ABC0-EFGH', 'ABCI-EFGH', 'ABCO-EFGH', 'ABCL-EFGH', 'AB-CD-EFGH', 'ABCD EFGH', '', 'ABCD-EFG1'])(
    'refuses %j',
    (code) => expect(inviteCodeSchema.safeParse(code).success).toBe(false),
  );
});

describe.each(storeKinds)('on the %s store', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let clock: FakeClock;
  beforeEach(async () => {
    opened = await openTestStore(kind);
    clock = new FakeClock();
  });
  afterEach(() => opened.close());

  it('invite codes: single use, expiring, linked to the issuing PA', async () => {
    const codes = createInviteCodes({ store: opened.store, clock, advisers: testAdvisers() });
    const { code, expiresAt } = await codes.issueInviteCode('pa-alex');
    expect(code).toMatch(/^[A-HJ-KMNP-Z2-9]{4}-[A-HJ-KMNP-Z2-9]{4}$/);
    expect(expiresAt.getTime() - clock.now().getTime()).toBe(7 * 24 * 3_600_000);

    expect(await codes.redeemInviteCode('nope', 'test:yp-1')).toEqual({ ok: false, reason: 'invalid-format' });
    expect(await codes.redeemAdviserLinkCode(code, 'msteams:29:x')).toEqual({ ok: false, reason: 'not-found' });
    expect(await codes.redeemInviteCode(code.toLowerCase(), 'test:yp-1')).toEqual({ ok: true, adviserId: 'pa-alex' });
    expect(await codes.redeemInviteCode(code, 'test:yp-2')).toEqual({ ok: false, reason: 'used' });

    const late = await codes.issueInviteCode('pa-alex');
    clock.advance(7 * 24 * 3_600_000);
    expect(await codes.redeemInviteCode(late.code, 'test:yp-3')).toEqual({ ok: false, reason: 'expired' });
    await expect(codes.issueInviteCode('not-an-adviser')).rejects.toThrow('no such adviser');
  });

  it('invite codes: too many wrong guesses are refused for a while', async () => {
    const codes = createInviteCodes({ store: opened.store, clock, advisers: testAdvisers(), options: { maxFailures: 3 } });
    const { code } = await codes.issueInviteCode('pa-alex');
    for (let i = 0; i < 3; i += 1) expect((await codes.redeemInviteCode('AAAA-AAAA', 'test:guesser')).ok).toBe(false);
    expect(await codes.redeemInviteCode(code, 'test:guesser')).toEqual({ ok: false, reason: 'too-many-attempts' });
    clock.advanceMinutes(61);
    expect(await codes.redeemInviteCode(code, 'test:guesser')).toEqual({ ok: true, adviserId: 'pa-alex' });
  });

  it('run coordinator: one run per slot across instances; a crashed run holds its lease until it expires', async () => {
    const a = new StoreRunCoordinator(opened.store, clock, 'instance-a');
    const b = new StoreRunCoordinator(opened.store, clock, 'instance-b');
    const slot1 = 'outbox-drain:2026-11-23T10:00:00.000Z';
    const slot2 = 'outbox-drain:2026-11-23T10:00:05.000Z';
    const slot3 = 'outbox-drain:2026-11-23T10:00:10.000Z';

    const votes = await Promise.all([a.shouldRun(slot1, 60_000), b.shouldRun(slot1, 60_000)]);
    expect(votes.filter(Boolean)).toHaveLength(1);
    const winner = votes[0] ? a : b;
    await winner.onComplete(slot1);
    expect(await a.shouldRun(slot1, 60_000)).toBe(false); // a slot runs once

    // Instance b takes slot 2 and "crashes" (never completes): slot 3 waits for the lease.
    expect(await b.shouldRun(slot2, 60_000)).toBe(true);
    expect(await a.shouldRun(slot3, 60_000)).toBe(false);
    clock.advance(60_000);
    expect(await a.shouldRun('outbox-drain:2026-11-23T10:01:05.000Z', 60_000)).toBe(true);
  });
});
