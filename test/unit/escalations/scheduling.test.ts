import { systemClock } from '../../../services/clock';
import { startJobs } from '../../../services/scheduling/jobs';
import { splitCoordinatorKey, StoreRunCoordinator } from '../../../services/scheduling/run-coordinator';
import { openTestStore, silentLogger } from '../../support/safeguarding';

describe('scheduled jobs across instances', () => {
  it('node-cron fires on every instance, but each slot runs once', async () => {
    const opened = await openTestStore('embedded');
    const runs: string[] = [];
    const asked: string[] = [];
    const won: string[] = [];
    // Counted by slot, not by wall-clock time: a busy machine may fire late or skip a second.
    class WatchedCoordinator extends StoreRunCoordinator {
      override async shouldRun(key: string, ttlMs: number): Promise<boolean> {
        const { slot } = splitCoordinatorKey(key);
        asked.push(slot);
        const wins = await super.shouldRun(key, ttlMs);
        if (wins) won.push(slot);
        return wins;
      }
    }
    const instance = (name: string) =>
      startJobs([{ name: 'test-job', cron: '* * * * * *', leaseMs: 5_000, run: async () => void runs.push(name) }], {
        coordinator: new WatchedCoordinator(opened.store, systemClock, name),
        logger: silentLogger,
      });
    const a = instance('a');
    const b = instance('b');
    const deadline = Date.now() + 20_000;
    while (runs.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await a.stop();
    await b.stop();
    await opened.close();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // Both instances were offered the slots (the last one's second offer may come after the stop),
    // and no slot was won twice.
    const offers = (slot: string) => asked.filter((offered) => offered === slot).length;
    expect(won.some((slot) => offers(slot) === 2)).toBe(true);
    for (const slot of won) expect(offers(slot)).toBeLessThanOrEqual(2);
    expect(new Set(won).size).toBe(won.length);
    // Every run won its slot; a slot won just as the jobs stopped may not have started.
    expect(runs.length).toBeLessThanOrEqual(won.length);
    expect(won.length - runs.length).toBeLessThanOrEqual(1);
  }, 30_000);
});
