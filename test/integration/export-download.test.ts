import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type TribeApp } from '../../bot/app';
import type { Clock } from '../../services/clock';
import { ContentCatalog } from '../../services/content/catalog';
import { loadConfig } from '../../services/config';
import { createLogger } from '../../services/logging';
import { EXPORT_HANDOFFS_COLLECTION } from '../../services/privacy/export-handoffs';
import { messageActivity, sendTurn } from '../support/test-app';

/** `GET /api/exports/:token`: the one-time download link that text-only channels are sent. */
describe('export download link', () => {
  class FakeClock implements Clock {
    at = Date.parse('2026-11-23T12:00:00.000Z');
    now(): Date {
      return new Date(this.at);
    }
  }

  let app: TribeApp;
  let baseUrl: string;
  let dataDir: string;
  const clock = new FakeClock();
  const gone = ContentCatalog.load(undefined, { clock }).render('journeys.privacy.export.link-gone', {});

  async function start(env: Record<string, string> = {}): Promise<void> {
    dataDir = mkdtempSync(join(tmpdir(), 'tribe-export-'));
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
    app = await createApp(config, { clock, backgroundJobs: false });
    baseUrl = `http://127.0.0.1:${await app.listen()}`;
  }
  async function stop(): Promise<void> {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  /** A text-only channel: consent, then "export my data"; returns the link the bot sent. */
  async function linkFor(conversationId: string): Promise<string> {
    const say = (text: string) => sendTurn(baseUrl, { ...messageActivity(text, conversationId), channelId: 'sms' });
    await say('hi');
    await say('yes');
    const replies = await say('export my data');
    const words = replies.map((reply) => reply.text ?? '').join('\n');
    expect(words).not.toContain('```');
    const link = /(https?:\/\/\S+\/api\/exports\/[A-Za-z0-9_-]{43})\b/.exec(words)?.[1];
    if (!link) throw new Error(`no download link in:\n${words}`);
    return link;
  }

  async function expectGone(response: Response): Promise<void> {
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(gone);
  }

  describe('with no PUBLIC_BASE_URL in development (a loopback link)', () => {
    beforeAll(() => start());
    afterAll(() => stop());

    it('a good token downloads the JSON once, as an attachment that is never cached', async () => {
      const link = await linkFor('download-once');
      expect(link.startsWith(`${baseUrl}/api/exports/`)).toBe(true);
      const response = await fetch(link);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="tribe-my-data-2026-11-23.json"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const data = (await response.json()) as { exportedAt: string; sections: Record<string, unknown> };
      expect(data.exportedAt).toBe('2026-11-23T12:00:00.000Z');
      expect(data.sections.profile).toMatchObject({ consent: expect.anything() });
      // The safety gate's last two short messages, held in memory for split thoughts, are in it too.
      expect(data.sections.recentMessages).toEqual(['yes', 'export my data']);

      // Reused: the same plain 404 as any other bad link.
      await expectGone(await fetch(link));
      expect(await app.store.collection(EXPORT_HANDOFFS_COLLECTION).find({})).toEqual([]);
    });

    it('an expired token (15 minutes on the clock) is a 404 and is deleted', async () => {
      const link = await linkFor('download-late');
      clock.at += 15 * 60_000;
      await expectGone(await fetch(link));
      expect(await app.store.collection(EXPORT_HANDOFFS_COLLECTION).find({})).toEqual([]);
    });

    it('a token just inside 15 minutes still works', async () => {
      const link = await linkFor('download-in-time');
      clock.at += 15 * 60_000 - 1000;
      expect((await fetch(link)).status).toBe(200);
    });

    it.each([
      ['too short', 'abc'],
      ['44 characters', 'a'.repeat(44)],
      ['42 characters', 'a'.repeat(42)],
      ['the right shape but unknown', 'a'.repeat(43)],
      ['characters outside base64url', `${'a'.repeat(42)}%21`],
      ['a dotted path', '..%2F..%2Fhealthz'],
      ['spaces', encodeURIComponent(' '.repeat(43))],
      ['a token with more path after it', `${'a'.repeat(43)}/more`],
    ])('a bad token (%s) gets the same plain 404', async (_name, token) => {
      await expectGone(await fetch(`${baseUrl}/api/exports/${token}`));
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    });
  });

  describe('with PUBLIC_BASE_URL', () => {
    beforeAll(() => start({ PUBLIC_BASE_URL: 'https://tribe.example.org/' }));
    afterAll(() => stop());

    it('links under the public address', async () => {
      const link = await linkFor('download-public');
      expect(link).toMatch(/^https:\/\/tribe\.example\.org\/api\/exports\/[A-Za-z0-9_-]{43}$/);
      // The same token works here, whatever the public address.
      const response = await fetch(`${baseUrl}${new URL(link).pathname}`);
      expect(response.status).toBe(200);
    });
  });

  describe('the logs', () => {
    const lines: string[] = [];
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'tribe-export-'));
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'trace', NODE_ENV: 'test', DATA_DIR: dataDir });
      const logger = createLogger('trace', { write: (line: string) => void lines.push(line) } as never);
      app = await createApp(config, { clock, backgroundJobs: false, logger });
      baseUrl = `http://127.0.0.1:${await app.listen()}`;
    });
    afterAll(() => stop());

    it('never hold a live token, even when a link checker tries another method first', async () => {
      const link = await linkFor('download-logs');
      const path = new URL(link).pathname;
      const token = path.split('/').pop()!;
      for (const method of ['HEAD', 'POST', 'PUT', 'DELETE']) {
        const response = await fetch(`${baseUrl}${path}`, { method });
        expect(response.status).toBeGreaterThanOrEqual(400);
      }
      // the checker did not use the link up
      expect((await fetch(`${baseUrl}${path}`)).status).toBe(200);
      expect(lines.join('\n')).not.toContain(token);
    });
  });
});
