import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activity, ConversationState, type Middleware, MessageFactory, type TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { DocumentStateStorage } from '../../../bot/state-storage';
import { createJourneyServices, createRootDialog } from '../../../bot/tribe-bot';
import type { JourneyServices } from '../../../dialogs/journey-services';
import { SAFETY_TURN_STATE, type SafetyVerdict } from '../../../dialogs/safety';
import { createAdviserDirectory } from '../../../services/advisers/adviser-directory';
import { createInviteCodes, type InviteCodes } from '../../../services/advisers/invite-codes';
import type { Clock } from '../../../services/clock';
import { Answerer } from '../../../services/content/answer';
import { ContentCatalog } from '../../../services/content/catalog';
import { ContentRetriever } from '../../../services/content/retriever';
import { createEscalationDeps, type EscalationDeps, ownerFromProfiles } from '../../../services/escalations';
import type { EscalationDoc } from '../../../services/escalations/escalation';
import { ESCALATIONS_COLLECTION } from '../../../services/escalations/escalation-repository';
import { createLogger } from '../../../services/logging';
import { ProfileRepository } from '../../../services/profiles/profile-repository';
import type { Category, Severity } from '../../../services/safety/types';
import { openEmbeddedStore } from '../../../services/store/embedded';
import type { DocumentStore } from '../../../services/store/port';

/** A clock the test moves by hand, from midday so the Europe/London date is unambiguous. */
export class FakeClock implements Clock {
  private at: number;
  constructor(start = '2026-11-23T12:00:00.000Z') {
    this.at = Date.parse(start);
  }
  now(): Date {
    return new Date(this.at);
  }
  advanceDays(days: number): void {
    this.at += days * 86_400_000;
  }
}

export const PA_ID = 'pa-river';
export const PA_TOKEN = 'pa-river-token-for-journey-tests';
const silent = createLogger('silent');

/** What the safety gate would decide for a message (the real screen is tested on its own). */
export interface ScreenRule {
  pattern: RegExp;
  severity: Exclude<Severity, 'none'>;
  category: Category;
}

export const DEFAULT_SCREEN: ScreenRule[] = [
  { pattern: /want to die|kill myself/i, severity: 'urgent', category: 'suicide_self_harm' },
  { pattern: /he hits me|not safe at home/i, severity: 'high', category: 'harm_from_others' },
  { pattern: /sleeping rough tonight/i, severity: 'high', category: 'homelessness' },
  { pattern: /feel(ing)? (so )?(low|lonely)/i, severity: 'medium', category: 'mental_health' },
];

/**
 * The safety gate's contract, for dialog tests: it screens first, records its verdict in turn
 * state, replies to a concern with the gate's template, and stops the turn on `urgent`.
 */
export function fakeSafetyGate(catalog: ContentCatalog, rules: readonly ScreenRule[] = DEFAULT_SCREEN): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      if (context.activity.type !== 'message') return next();
      const text = context.activity.text ?? '';
      const rule = rules.find((candidate) => candidate.pattern.test(text));
      const verdict: SafetyVerdict = {
        result: { severity: rule?.severity ?? 'none', category: rule?.category ?? 'none' },
        escalationId: null,
        replied: false,
        handled: null,
      };
      context.turnState.set(SAFETY_TURN_STATE, verdict);
      if (!rule) return next();
      const template =
        rule.severity === 'urgent' ? 'safety.urgent' : rule.severity === 'medium' ? 'safety.medium' : rule.category === 'homelessness' ? 'safety.high.homelessness' : 'safety.high.harm';
      await context.sendActivity(MessageFactory.text(catalog.render(template)));
      verdict.replied = true;
      verdict.handled = 'concern';
      if (rule.severity !== 'urgent') await next();
    },
  };
}

export interface JourneyHarness {
  dataDir: string;
  store: DocumentStore;
  clock: FakeClock;
  catalog: ContentCatalog;
  services: JourneyServices;
  inviteCodes: InviteCodes;
  escalations: EscalationDeps;
  conversationState: ConversationState;
  /** A new DialogTestClient on the root dialog, over this harness's state (so restarts keep it). */
  client(channelId?: string, options?: { gate?: Middleware | null; from?: string }): JourneyClient;
  /** Closes the store and opens everything again over the same data directory. */
  restart(): Promise<JourneyHarness>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export async function openHarness(options: { dataDir?: string; clock?: FakeClock } = {}): Promise<JourneyHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tribe-journeys-'));
  const clock = options.clock ?? new FakeClock();
  const store = await openEmbeddedStore(dataDir, silent);
  const catalog = ContentCatalog.load(undefined, { clock });
  const answerer = new Answerer({ retriever: new ContentRetriever({ catalog }) });
  const advisers = createAdviserDirectory({ adviserTokens: `${PA_ID}=${PA_TOKEN}` });
  const profiles = new ProfileRepository(store, clock);
  const escalations = createEscalationDeps({
    store,
    clock,
    advisers,
    resolveOwner: ownerFromProfiles(profiles),
    text: catalog,
    consoleUrl: () => 'http://127.0.0.1/console/',
    logger: silent,
  });
  const inviteCodes = createInviteCodes({ store, clock, advisers });
  const services = createJourneyServices({
    store,
    clock,
    catalog,
    answerQuestion: (question) => answerer.answerQuestion(question),
    escalations,
    inviteCodes,
    profiles,
  });
  const conversationState = new ConversationState(new DocumentStateStorage(store));
  const harness: JourneyHarness = {
    dataDir,
    store,
    clock,
    catalog,
    services,
    inviteCodes,
    escalations,
    conversationState,
    client(channelId = 'webchat', clientOptions = {}) {
      const gate = clientOptions.gate === undefined ? fakeSafetyGate(catalog) : clientOptions.gate;
      return new JourneyClient(
        new DialogTestClient(channelId, createRootDialog(conversationState, services), undefined, gate ? [gate] : [], conversationState),
        clientOptions.from,
      );
    },
    async restart() {
      await store.close();
      return openHarness({ dataDir, clock });
    },
    async close({ keepData = false } = {}) {
      await store.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * A harness opened afresh before each test of the enclosing `describe` and closed after it. The
 * handle stays the same: `restart()` reopens it in place over the same data and returns it.
 */
export function harnessForEachTest(): JourneyHarness {
  let current: JourneyHarness | undefined;
  beforeEach(async () => {
    current = await openHarness();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const open = (): JourneyHarness => {
    if (!current) throw new Error('the journey harness is open only while a test runs');
    return current;
  };
  const handle: JourneyHarness = new Proxy({} as JourneyHarness, {
    get(_target, key) {
      if (key === 'restart') {
        return async () => {
          current = await open().restart();
          return handle;
        };
      }
      const value: unknown = Reflect.get(open(), key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  return handle;
}

/** Everything a reply shows as words: its text, card text blocks and button titles, and suggested actions. */
export function wordsOf(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') parts.push(...cardWords(attachment.content));
    else if (attachment.contentType === 'application/vnd.microsoft.card.hero') {
      const hero = attachment.content as { text?: string; buttons?: Array<{ title: string }> };
      if (hero.text) parts.push(hero.text);
      parts.push(...(hero.buttons ?? []).map((button) => `[${button.title}]`));
    } else if (attachment.name) parts.push(`(file ${attachment.name})`);
  }
  for (const action of activity.suggestedActions?.actions ?? []) parts.push(`[${action.title}]`);
  return parts.join('\n');
}

function cardWords(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(cardWords);
  if (!node || typeof node !== 'object') return [];
  const element = node as Record<string, unknown>;
  const words: string[] = [];
  if (element.type === 'TextBlock' && typeof element.text === 'string') words.push(element.text);
  if (typeof element.type === 'string' && element.type.startsWith('Action.') && typeof element.title === 'string') words.push(`[${element.title}]`);
  if (element.type === 'Input.Choice' || (typeof element.title === 'string' && 'value' in element && !element.type)) words.push(`[${String(element.title)}]`);
  for (const key of ['body', 'items', 'actions', 'card', 'columns', 'choices']) if (key in element) words.push(...cardWords(element[key]));
  return words;
}

/** One user in one conversation, as Web Chat, Teams or a text-only channel would carry them. */
export class JourneyClient {
  /** Every reply of the last turn. */
  last: Partial<Activity>[] = [];
  /** How many messages the user has sent. */
  turns = 0;

  constructor(
    readonly dialogClient: DialogTestClient,
    private readonly from?: string,
  ) {}

  /** Sends a message (text, or a whole activity such as a card submit) and returns every reply. */
  async say(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> = typeof input === 'string' ? { type: 'message', text: input } : { type: 'message', ...input };
    if (this.from) activity.from = { id: this.from, name: 'test user' };
    this.turns += 1;
    const replies: Partial<Activity>[] = [];
    const first = await this.dialogClient.sendActivity(activity);
    for (let reply = first; reply; reply = this.dialogClient.getNextReply()) replies.push(reply);
    this.last = replies;
    return replies;
  }

  /** The words of every reply of a turn, joined. */
  async words(input: string | Partial<Activity>): Promise<string> {
    return (await this.say(input)).map(wordsOf).join('\n---\n');
  }

  /** A card button press (Web Chat sends the card's data as the value, with no text). */
  press(token: string, inputs: Record<string, string> = {}): Promise<string> {
    return this.words({ value: { tribeAction: token, ...inputs } });
  }
}

/** Escalations raised for a user (to check homelessness, talk-to-PA and low-mood requests). */
export function escalationsFor(store: DocumentStore, userKey: string): Promise<EscalationDoc[]> {
  return store.collection<EscalationDoc>(ESCALATIONS_COLLECTION).find({ userKey });
}
