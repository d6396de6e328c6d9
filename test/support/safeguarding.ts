import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdviserDirectory, type AdviserDirectory } from '../../services/advisers/adviser-directory';
import { AdviserReferences } from '../../services/advisers/adviser-references';
import type { Clock } from '../../services/clock';
import { ContentCatalog } from '../../services/content/catalog';
import { createEscalationDeps, type EscalationDeps, type EscalationSettings, type OwnerResolver } from '../../services/escalations';
import { createLogger } from '../../services/logging';
import {
  DeadReferenceError,
  RetryableSendError,
  type Messenger,
  type OutboundMessage,
  type SendOptions,
  type StoredReference,
} from '../../services/messaging/messenger';
import { OutboxRepository } from '../../services/outbox/outbox-repository';
import type { DocumentStore } from '../../services/store/port';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  private at: number;
  constructor(start = '2026-11-23T10:00:00.000Z') {
    this.at = Date.parse(start);
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}

export interface Sent {
  recipient: StoredReference;
  message: OutboundMessage;
  idempotencyKey: string | undefined;
}

/** A Messenger that records what it delivered and fails on demand. */
export class FakeMessenger implements Messenger {
  readonly sent: Sent[] = [];
  attempts = 0;
  private failures: Array<() => Error> = [];

  failNext(count: number, make: () => Error = () => new RetryableSendError('the channel answered 502', 502)): this {
    for (let i = 0; i < count; i += 1) this.failures.push(make);
    return this;
  }
  throttleNext(retryAfterMs = 1000): this {
    return this.failNext(1, () => new RetryableSendError('the channel answered 429', 429, retryAfterMs));
  }
  deadNext(): this {
    return this.failNext(1, () => new DeadReferenceError('the conversation cannot be written to (403 MessageWritesBlocked)', 403, 'MessageWritesBlocked'));
  }
  async send(recipient: StoredReference, message: OutboundMessage, options?: SendOptions): Promise<void> {
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure) throw failure();
    this.sent.push({ recipient, message, idempotencyKey: options?.idempotencyKey });
  }
}

export function reference(conversationId: string, userId = `user-${conversationId}`): StoredReference {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/uk/',
    conversation: { id: conversationId, conversationType: 'personal' },
    bot: { id: 'tribe-bot' },
    user: { id: userId },
  };
}

export const silentLogger = createLogger('silent');

export type StoreKind = 'embedded' | 'mongodb';

export const storeKinds: StoreKind[] = ['embedded', 'mongodb'];

/** A fresh store of the given kind; `close` also removes everything it wrote. */
export async function openTestStore(kind: StoreKind): Promise<{ store: DocumentStore; close(): Promise<void>; dataDir?: string }> {
  if (kind === 'embedded') {
    const opened = await openTempEmbeddedStore();
    return { store: opened.store, dataDir: opened.dir, close: () => opened.dispose() };
  }
  const opened = await openTempMongoStore();
  return { store: opened.store, close: () => opened.dispose() };
}

export function contentCatalog(clock: Clock): ContentCatalog {
  return ContentCatalog.load(undefined, { clock });
}

export const PA_TOKEN = 'pa-alex-token-0123456789';
export const PA2_TOKEN = 'pa-bo-token-0123456789ab';
export const DUTY_TOKEN = 'duty-kim-token-0123456789';

export function testAdvisers(): AdviserDirectory {
  return createAdviserDirectory({ adviserTokens: `pa-alex=${PA_TOKEN},pa-bo=${PA2_TOKEN},duty-kim=${DUTY_TOKEN}` });
}

export interface Harness {
  deps: EscalationDeps;
  clock: FakeClock;
  store: DocumentStore;
  outbox: OutboxRepository;
  references: AdviserReferences;
  owners: Map<string, string>;
}

export function escalationHarness(store: DocumentStore, settings: Partial<EscalationSettings> = {}): Harness {
  const clock = new FakeClock();
  const owners = new Map<string, string>();
  const resolveOwner: OwnerResolver = async (userKey) => owners.get(userKey) ?? null;
  const outbox = new OutboxRepository(store);
  const references = new AdviserReferences(store, clock);
  const deps = createEscalationDeps({
    store,
    clock,
    advisers: testAdvisers(),
    resolveOwner,
    text: contentCatalog(clock),
    consoleUrl: () => 'http://127.0.0.1:3978/console/',
    settings,
    outbox,
    references,
    logger: silentLogger,
  });
  return { deps, clock, store, outbox, references, owners };
}

// ---------------------------------------------------------------------------------------------
// The whole app over HTTP, with a fake Messenger and no background jobs (tests drive them).

import { createApp, type TribeApp } from '../../bot/app';
import { loadConfig } from '../../services/config';
import { openTempEmbeddedStore, openTempMongoStore } from './stores-under-test';

export const DEV_TOKEN = 'dev-duty-token-for-escalation-tests';

export interface RunningSafeguardingApp {
  app: TribeApp;
  baseUrl: string;
  dataDir: string;
  messenger: FakeMessenger;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startSafeguardingApp(
  env: Record<string, string> = {},
  options: { realMessenger?: boolean; logLines?: string[] } = {},
): Promise<RunningSafeguardingApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tribe-esc-app-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DEV_ADVISER_TOKEN: DEV_TOKEN,
    ADVISER_TOKENS: `pa-alex=${PA_TOKEN},pa-bo=${PA2_TOKEN}`,
    ...env,
    DATA_DIR: dataDir,
  });
  const messenger = new FakeMessenger();
  const logger = options.logLines
    ? createLogger('trace', { write: (line: string) => void options.logLines!.push(line) } as never)
    : undefined;
  const app = await createApp(config, { messenger: options.realMessenger ? undefined : messenger, backgroundJobs: false, logger });
  const port = await app.listen();
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    messenger,
    stop: async ({ keepData = false } = {}) => {
      await app.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function adviserApi(baseUrl: string, token: string | null) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, body: json, headers: response.headers };
  };
  return {
    call,
    list: (query = '') => call('GET', `/api/escalations${query}`),
    acknowledge: (id: string) => call('POST', `/api/escalations/${id}/acknowledge`),
    resolve: (id: string, body: unknown) => call('POST', `/api/escalations/${id}/resolve`, body),
    invite: () => call('POST', '/api/invites'),
    linkCode: () => call('POST', '/api/advisers/me/link-code'),
  };
}

let turn = 0;
/** A message activity on a channel, asking for the replies in the response body. */
export function activity(
  conversationId: string,
  fields: { text?: string; value?: unknown; userId?: string; channelId?: string },
): Record<string, unknown> {
  turn += 1;
  return {
    type: 'message',
    id: `esc-activity-${turn}`,
    channelId: fields.channelId ?? 'test',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    from: { id: fields.userId ?? `user-${conversationId}` },
    recipient: { id: 'tribe-bot' },
    conversation: { id: conversationId },
    ...(fields.text !== undefined ? { text: fields.text } : {}),
    ...(fields.value !== undefined ? { value: fields.value } : {}),
  };
}

export async function turnReplies(baseUrl: string, body: Record<string, unknown>): Promise<Array<{ type: string; text?: string; suggestedActions?: { actions: Array<{ title: string }> } }>> {
  const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { activities: Array<{ type: string; text?: string }> }).activities.filter((a) => a.type === 'message');
}

export const CRISIS_NUMBERS = ['116 123', '85258', '111', '999'];
