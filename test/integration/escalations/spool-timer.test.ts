import { mkdirSync } from 'node:fs';
import { SPOOL_TICK_MS } from '../../../bot/safeguarding';
import { startSafeguardingApp, type RunningSafeguardingApp } from '../../support/safeguarding';

describe('the spool replay timer', () => {
  let running: RunningSafeguardingApp;
  const logLines: string[] = [];
  afterEach(async () => {
    jest.restoreAllMocks();
    await running.app.safeguarding.stopJobs();
    await running.stop();
  });

  it('logs an unreadable spool file (not ENOENT) and keeps the process running', async () => {
    running = await startSafeguardingApp({}, { logLines });
    const spool = running.app.safeguarding.escalations.spool!;
    // A directory where the spool file should be: every read throws EISDIR.
    mkdirSync(spool.file, { recursive: true });
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    running.app.safeguarding.startJobs();
    const tick = setIntervalSpy.mock.calls.find(([, delay]) => delay === SPOOL_TICK_MS)?.[0] as (() => void) | undefined;
    expect(tick).toBeDefined();

    // The real timer body, called directly: it must not throw (a throw in a timer kills Node).
    expect(() => tick!()).not.toThrow();
    expect(() => tick!()).not.toThrow();
    const failures = logLines.filter((line) => line.includes('escalation spool check failed'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    // (Under Jest a Node fs error comes from another realm, so errorSummary only gives its type.)
    expect(JSON.parse(failures[0]!)).toMatchObject({ level: 50, err: expect.any(Object) });
    expect(failures.join('\n')).not.toContain(spool.file); // no message text, no paths
    // And the service still answers.
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });
});
