import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activity, adviserApi, CRISIS_NUMBERS, DEV_TOKEN, turnReplies } from '../../support/safeguarding';
import { kill9, startService } from '../../support/service-process';

const start = (dataDir: string) => startService({ DATA_DIR: dataDir, DEV_ADVISER_TOKEN: DEV_TOKEN });

/**
 * The escalation is persisted before the reply is sent: kill -9 the real service right after the
 * crisis reply, start it again on the same DATA_DIR, and the escalation is listed.
 */
describe('escalation durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tribe-esc-crash-'));
  let running: ChildProcess | undefined;

  afterAll(async () => {
    if (running) await kill9(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives kill -9 right after the crisis reply', async () => {
    const first = await start(dataDir);
    running = first.child;
    const replies = await turnReplies(first.baseUrl, activity('crash-crisis', { text: 'I want to kill myself tonight' }));
    await kill9(first.child);
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);

    const second = await start(dataDir);
    running = second.child;
    const listed = await adviserApi(second.baseUrl, DEV_TOKEN).list();
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ severity: 'urgent', category: 'suicide_self_harm', status: expect.stringMatching(/raised|notified/) })]);
    await kill9(second.child);
    running = undefined;
  }, 120_000);

  it('loses no acknowledged escalation when killed in the middle of a stream of them', async () => {
    const streamDir = mkdtempSync(join(tmpdir(), 'tribe-esc-stream-'));
    try {
      const first = await start(streamDir);
      running = first.child;
      const acknowledged: string[] = [];
      // Twenty young people in crisis at once, twenty turns each (under the adviser list's page of
      // 500), and the service killed part-way through.
      const writers = Array.from({ length: 20 }, async (_, writer) => {
        for (let turn = 0; turn < 20; turn += 1) {
          const conversation = `stream-${writer}-${turn}`;
          try {
            const replies = await turnReplies(first.baseUrl, activity(conversation, { text: `i want to end my life tonight ${conversation}` }));
            if (replies.some((reply) => (reply.text ?? '').includes('116 123'))) acknowledged.push(conversation);
          } catch {
            return; // the service is gone
          }
        }
      });
      while (acknowledged.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
      await kill9(first.child);
      await Promise.all(writers);
      expect(acknowledged.length).toBeGreaterThanOrEqual(100);
      expect(acknowledged.length).toBeLessThan(400);

      const second = await start(streamDir);
      running = second.child;
      const listed = await adviserApi(second.baseUrl, DEV_TOKEN).list();
      expect(listed.status).toBe(200);
      const excerpts = (listed.body.items as Array<{ excerpt: string; severity: string }>).map((item) => `${item.severity} ${item.excerpt}`);
      // Every reply the young person saw has its urgent escalation; none was lost in the kill.
      const lost = acknowledged.filter((conversation) => !excerpts.some((line) => line.startsWith('urgent') && line.endsWith(` ${conversation}`)));
      expect(lost).toEqual([]);
      await kill9(second.child);
      running = undefined;
    } finally {
      rmSync(streamDir, { recursive: true, force: true });
    }
  }, 120_000);
});
