import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type TribeApp } from '../bot/app';
import { loadConfig } from '../services/config';
import type { Verdict } from '../services/safety/evaluate';
import type { Severity } from '../services/safety/types';

const TOKEN = 'eval-duty-token-not-for-production';
/** The numbers an urgent reply must carry (DESIGN.md: crisis signposting). */
const CRISIS_NUMBERS = ['116 123', '85258', '111', '999'];

interface EscalationItem {
  id: string;
  severity: Severity;
}

/**
 * Judges a message the way a young person and a PA would see it: sent as the first message of a
 * new conversation through POST /api/messages (expectReplies), the reply checked for crisis
 * signposting, and the adviser API checked for the escalation that turn raised.
 */
export class HttpScreen {
  private conversations = 0;
  private readonly seen = new Set<string>();

  private constructor(
    private readonly app: TribeApp,
    private readonly baseUrl: string,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<HttpScreen> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tribe-eval-'));
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: dataDir, DEV_ADVISER_TOKEN: TOKEN });
    const app = await createApp(config, { backgroundJobs: false });
    const port = await app.listen();
    await app.warmUp(); // as npm start does: no message waits for the sentence encoder to load
    return new HttpScreen(app, `http://127.0.0.1:${port}`, dataDir);
  }

  async judge(text: string): Promise<Verdict> {
    this.conversations += 1;
    const conversation = `eval-${this.conversations}`;
    const response = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        channelId: 'eval',
        serviceUrl: 'http://127.0.0.1:9',
        deliveryMode: 'expectReplies',
        from: { id: `user-${conversation}` },
        recipient: { id: 'tribe' },
        conversation: { id: conversation },
        text,
      }),
    });
    if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}`);
    const { activities } = (await response.json()) as { activities: Array<{ text?: string; attachments?: unknown[] }> };
    const said = activities.map((activity) => `${activity.text ?? ''} ${JSON.stringify(activity.attachments ?? [])}`).join('\n');
    return { severity: await this.newEscalationSeverity(), needsCrisisSignposting: CRISIS_NUMBERS.every((number) => said.includes(number)) };
  }

  private async newEscalationSeverity(): Promise<Severity> {
    const response = await fetch(`${this.baseUrl}/api/escalations`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (response.status !== 200) throw new Error(`GET /api/escalations answered ${response.status}`);
    const { items } = (await response.json()) as { items: EscalationItem[] };
    const fresh = items.filter((item) => !this.seen.has(item.id));
    fresh.forEach((item) => this.seen.add(item.id));
    const order: Severity[] = ['none', 'medium', 'high', 'urgent'];
    return fresh.reduce<Severity>((worst, item) => (order.indexOf(item.severity) > order.indexOf(worst) ? item.severity : worst), 'none');
  }

  async stop(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
