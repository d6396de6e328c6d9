import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type TribeApp } from '../../../bot/app';
import { loadConfig } from '../../../services/config';
import { spoolFileName } from '../../../services/escalations';

const SPOOL_FILE = spoolFileName();
import { createLogger } from '../../../services/logging';
import { openEmbeddedStore } from '../../../services/store/embedded';
import type { DocumentStore } from '../../../services/store/port';
import { storeWithWriteHook } from '../../support/write-hook-store';
import { activity, adviserApi, CRISIS_NUMBERS, DEV_TOKEN, FakeMessenger, silentLogger, turnReplies } from '../../support/safeguarding';

// Fictional test message: no real personal data.
const CRISIS = 'I want to kill myself tonight';

/**
 * A store whose writes fail while `down` is set. Like a real driver error (MongoDB's `errInfo`,
 * `keyValue`), the error quotes what it failed to write: logs must never pass that on.
 */
function storeWithFailingWrites(inner: DocumentStore) {
  const state = { down: false, refused: 0 };
  const store = storeWithWriteHook(inner, async (name, _method, args) => {
    if (!state.down) return;
    state.refused += 1;
    const error = new Error(`write to ${name} refused: ${JSON.stringify(args)}`) as Error & { errInfo?: unknown };
    error.errInfo = { failingDocument: args };
    throw error;
  });
  return { store, state };
}

describe('an escalation raised while the store refuses every write', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tribe-esc-spool-'));
  const logLines: string[] = [];
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start(backgroundJobs: boolean) {
    const inner = await openEmbeddedStore(dataDir, silentLogger);
    const flaky = storeWithFailingWrites(inner);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', DEV_ADVISER_TOKEN: DEV_TOKEN, DATA_DIR: dataDir });
    const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) } as never);
    let app: TribeApp;
    try {
      app = await createApp(config, { store: flaky.store, messenger: new FakeMessenger(), backgroundJobs, logger });
    } catch (error) {
      await inner.close();
      throw error;
    }
    const port = await app.listen();
    return { app, flaky, baseUrl: `http://127.0.0.1:${port}` };
  }

  const spoolLines = () =>
    readFileSync(join(dataDir, SPOOL_FILE), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('signposts in the same reply, keeps it in the spool, and replays it into the adviser list exactly once', async () => {
    const { app, flaky, baseUrl } = await start(false);
    try {
      flaky.state.down = true;
      const replies = await turnReplies(baseUrl, activity('spool-crisis', { text: CRISIS }));
      const said = replies.map((reply) => reply.text ?? '').join('\n');
      for (const number of CRISIS_NUMBERS) expect(said).toContain(number);
      expect(flaky.state.refused).toBeGreaterThanOrEqual(3); // every retry was refused

      const [entry, ...rest] = spoolLines();
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({ key: expect.stringMatching(/^[a-f0-9]{32}$/), severity: 'urgent', category: 'suicide_self_harm', conversationKey: 'test:spool-crisis' });

      // Still down: the replay keeps it.
      expect(await app.safeguarding.replaySpoolOnce()).toMatchObject({ replayed: 0, pending: 1, storeDown: true });

      flaky.state.down = false;
      const beforeReplay = readFileSync(join(dataDir, SPOOL_FILE));
      expect(await app.safeguarding.replaySpoolOnce()).toMatchObject({ replayed: 1, pending: 0, storeDown: false });
      const listed = (await adviserApi(baseUrl, DEV_TOKEN).list()).body.items as Array<Record<string, unknown>>;
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ severity: 'urgent', category: 'suicide_self_harm', status: 'raised', owner: { kind: 'duty' }, createdAt: entry!.at });
      const id = listed[0]!.id as string;
      expect(await app.safeguarding.escalations.audit.forEscalation(id)).toContainEqual(
        expect.objectContaining({ action: 'raised', detail: expect.objectContaining({ fromSpool: true }) }),
      );

      // Replayed again, twice: as after a crash between raising it and marking it done.
      expect(await app.safeguarding.replaySpoolOnce()).toMatchObject({ replayed: 0, pending: 0 });
      writeFileSync(join(dataDir, SPOOL_FILE), beforeReplay);
      expect(await app.safeguarding.replaySpoolOnce()).toMatchObject({ replayed: 1, pending: 0 });
      const again = (await adviserApi(baseUrl, DEV_TOKEN).list()).body.items as Array<Record<string, unknown>>;
      expect(again.map((item) => item.id)).toEqual([id]);
      expect(again[0]).toMatchObject({ raiseCount: 1 });
      expect(spoolLines()).toEqual([]);
    } finally {
      await app.close();
    }

    // Logs carry ids and categories: not the message, not the document the store refused.
    const logs = logLines.join('\n');
    expect(logs).toMatch(/could not persist an escalation/);
    expect(logs).toMatch(/escalation spooled locally/);
    expect(logs).not.toMatch(/kill myself/i);
  });

  it('replays what the spool holds when the service starts', async () => {
    const first = await start(false);
    try {
      first.flaky.state.down = true;
      const replies = await turnReplies(first.baseUrl, activity('spool-restart', { text: CRISIS }));
      expect(replies.map((reply) => reply.text ?? '').join('\n')).toContain('116 123');
    } finally {
      await first.app.close();
    }
    expect(spoolLines()).toHaveLength(1);

    // A new process on the same DATA_DIR, its store healthy: start-up replays the spool.
    const second = await start(true);
    try {
      let items: Array<Record<string, unknown>> = [];
      // Polled for up to 20 s: the replay competes with start-up on a busy machine.
      for (let i = 0; i < 200; i += 1) {
        items = (await adviserApi(second.baseUrl, DEV_TOKEN).list('?open=true')).body.items as Array<Record<string, unknown>>;
        if (items.length === 2 && spoolLines().length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(spoolLines()).toEqual([]);
      // One from the first test, one replayed now.
      expect(items).toHaveLength(2);
    } finally {
      await second.app.close();
    }
    expect(logLines.join('\n')).not.toMatch(/kill myself/i);
  });
});
