import { systemClock } from '../../../services/clock';
import { startJobs } from '../../../services/scheduling/jobs';
import { StoreRunCoordinator } from '../../../services/scheduling/run-coordinator';
import { openTestStore, silentLogger } from '../../support/safeguarding';

describe('scheduled jobs across instances', () => {
  it('node-cron fires on every instance, but each slot runs once', async () => {
    const opened = await openTestStore('embedded');
    const runs: string[] = [];
    const instance = (name: string) =>
      startJobs([{ name: 'test-job', cron: '* * * * * *', leaseMs: 5_000, run: async () => void runs.push(name) }], {
        coordinator: new StoreRunCoordinator(opened.store, systemClock, name),
        logger: silentLogger,
      });
    const a = instance('a');
    const b = instance('b');
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await a.stop();
    await b.stop();
    await opened.close();
    // About three slots passed; never more runs than slots, and at least two ran.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(4);
  }, 15_000);
});
