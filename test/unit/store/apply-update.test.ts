import { applyUpdate, upsertSeed } from '../../../services/store/apply-update';

/** The embedded adapter's update operators: the document updated is never changed in place. */
describe('applyUpdate', () => {
  const stored = () => ({
    _id: 'p1',
    consent: { version: 'v1', givenAt: '2026-11-23' },
    reference: { channelId: 'webchat', conversation: { id: 'c1' } },
    situations: ['education'],
    counts: { visits: 1 },
    steps: [{ n: 1, done: false }, { n: 2, done: false }],
  });

  it('leaves the document it was given exactly as it was, whatever the operators touch', () => {
    const before = stored();
    const snapshot = structuredClone(before);
    const after = applyUpdate(
      before,
      {
        $set: { 'reference.conversation.id': 'c2', 'steps.1.done': true, home: 'own-tenancy' },
        $unset: { 'consent.givenAt': true },
        $inc: { 'counts.visits': 2 },
        $push: { situations: 'work' },
      },
      false,
    );
    expect(before).toEqual(snapshot);
    expect(after).toEqual({
      _id: 'p1',
      consent: { version: 'v1' },
      reference: { channelId: 'webchat', conversation: { id: 'c2' } },
      situations: ['education', 'work'],
      counts: { visits: 3 },
      steps: [{ n: 1, done: false }, { n: 2, done: true }],
      home: 'own-tenancy',
    });
  });

  it('shares only what the update did not touch', () => {
    const before = stored();
    const after = applyUpdate(before, { $set: { 'reference.conversation.id': 'c2' } }, false);
    expect(after.consent).toBe(before.consent);
    expect(after.steps).toBe(before.steps);
    expect(after.reference).not.toBe(before.reference);
    expect(after.reference.conversation).not.toBe(before.reference.conversation);
  });

  it('copies a container once however many paths in it change', () => {
    const before = stored();
    const after = applyUpdate(before, { $set: { 'steps.0.done': true, 'steps.1.done': true } }, false);
    expect(after.steps).toEqual([{ n: 1, done: true }, { n: 2, done: true }]);
    expect(before.steps).toEqual([{ n: 1, done: false }, { n: 2, done: false }]);
  });

  it('builds an upsert from the filter without sharing the filter’s objects', () => {
    const reference = { channelId: 'webchat' };
    const filter = { _id: 'p2', reference };
    const inserted = applyUpdate(upsertSeed(filter), { $set: { 'reference.locale': 'en-GB' }, $setOnInsert: { createdAt: 'now' } }, true);
    expect(inserted).toEqual({ _id: 'p2', reference: { channelId: 'webchat', locale: 'en-GB' }, createdAt: 'now' });
    expect(reference).toEqual({ channelId: 'webchat' });
  });
});
