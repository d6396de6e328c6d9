import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type TribeApp } from '../../bot/app';
import { loadConfig } from '../../services/config';

export interface RunningTestApp {
  app: TribeApp;
  baseUrl: string;
  dataDir: string;
  /** Closes the app; removes its data directory unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export const TEST_ADVISER_TOKEN = 'dev-duty-token-for-tests-only';

/** Starts Tribe on a free loopback port with an embedded store in a fresh temporary directory. */
export async function startTestApp(env: Record<string, string> = {}): Promise<RunningTestApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tribe-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DEV_ADVISER_TOKEN: TEST_ADVISER_TOKEN,
    ...env,
    DATA_DIR: dataDir,
  });
  const app = await createApp(config);
  const port = await app.listen();
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    stop: async ({ keepData = false } = {}) => {
      await app.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;

/** A message activity as a channel would send it, asking for the replies in the response body. */
export function messageActivity(text: string, conversationId: string, userId = `user-${conversationId}`): Record<string, unknown> {
  sequence += 1;
  return {
    type: 'message',
    id: `activity-${sequence}`,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    from: { id: userId },
    recipient: { id: 'tribe-bot' },
    conversation: { id: conversationId },
    text,
  };
}

export interface ExpectedReplies {
  activities: Array<{ type: string; text?: string; attachments?: unknown[]; suggestedActions?: unknown }>;
}

/** Sends one activity with expectReplies and returns the replies the bot gave in that turn. */
export async function sendTurn(baseUrl: string, activity: Record<string, unknown>): Promise<ExpectedReplies['activities']> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as ExpectedReplies;
  return body.activities;
}
