import { randomBytes } from 'node:crypto';

/** An activity as the channel stores and streams it: JSON, with the id the channel assigned. */
export type ChannelActivity = { id: string; type: string } & Record<string, unknown>;

/** What the stream sends and `GET …/activities` returns. */
export interface ActivitySet {
  activities: ChannelActivity[];
  watermark: string;
}

/** An open stream (a WebSocket) that receives every new activity of one conversation. */
export interface ActivityListener {
  send(set: ActivitySet): void;
  end(code: number, reason: string): void;
}

export interface ConversationLimits {
  /** Activities kept for reconnects and polling; older ones are dropped. */
  maxActivities: number;
  /** Bytes (as JSON) kept per conversation; older activities are dropped past it. */
  maxBytes: number;
  /** Open streams per conversation; the oldest is closed past it. */
  maxListeners: number;
}

interface Entry {
  seq: number;
  activity: ChannelActivity;
  bytes: number;
}

/** One Direct Line conversation: its activity log, its open streams, and the order of its turns. */
export class Conversation {
  readonly id = randomBytes(18).toString('base64url');
  /** The user, once known: bound by the token, or taken from the first activity. */
  userId: string | undefined;
  started = false;
  /** Whether the bot has had its `conversationUpdate` (members added). */
  membersAnnounced = false;
  lastActiveAt: number;

  private readonly log: Entry[] = [];
  private lastSeq = 0;
  private bytes = 0;
  private readonly listeners = new Set<ActivityListener>();
  private deliveryTail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly limits: ConversationLimits,
    now: number,
    userId?: string,
  ) {
    this.userId = userId;
    this.lastActiveAt = now;
  }

  get watermark(): string {
    return String(this.lastSeq);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Stores an activity under a new id and streams it. Returns it as stored. */
  append(activity: Omit<ChannelActivity, 'id'>): ChannelActivity {
    this.lastSeq += 1;
    const stored = { ...activity, id: `${this.id}|${String(this.lastSeq).padStart(7, '0')}` } as ChannelActivity;
    const bytes = JSON.stringify(stored).length;
    this.log.push({ seq: this.lastSeq, activity: stored, bytes });
    this.bytes += bytes;
    while (this.log.length > 1 && (this.log.length > this.limits.maxActivities || this.bytes > this.limits.maxBytes)) {
      this.bytes -= this.log.shift()!.bytes;
    }
    this.broadcast([stored]);
    return stored;
  }

  /** An id for an activity that is not kept (typing indicators); the watermark does not move. */
  transientId(): string {
    return `${this.id}|t${randomBytes(6).toString('hex')}`;
  }

  /** Streams an activity without keeping it (the bot's typing indicators). */
  sendTransient(activity: Omit<ChannelActivity, 'id'>): ChannelActivity {
    const transient = { ...activity, id: this.transientId() } as ChannelActivity;
    this.broadcast([transient]);
    return transient;
  }

  /** Replaces a stored activity (same id) and streams the new version; false when it is not kept. */
  replace(id: string, activity: Record<string, unknown>): boolean {
    const entry = this.log.find((e) => e.activity.id === id);
    if (!entry) return false;
    const updated = { ...activity, id } as ChannelActivity;
    const bytes = JSON.stringify(updated).length;
    this.bytes += bytes - entry.bytes;
    entry.activity = updated;
    entry.bytes = bytes;
    this.broadcast([updated]);
    return true;
  }

  remove(id: string): boolean {
    const index = this.log.findIndex((e) => e.activity.id === id);
    if (index < 0) return false;
    this.bytes -= this.log[index].bytes;
    this.log.splice(index, 1);
    return true;
  }

  /** The words `userId` typed that are still kept here, oldest first. */
  messagesFrom(userId: string): string[] {
    return this.log
      .map((e) => e.activity)
      .filter((activity) => activity.type === 'message' && (activity.from as { id?: unknown } | undefined)?.id === userId && typeof activity.text === 'string')
      .map((activity) => activity.text as string);
  }

  /** Drops every kept activity (delete my data); streams stay open and the watermark carries on. */
  forgetHistory(): number {
    const forgotten = this.log.length;
    this.log.length = 0;
    this.bytes = 0;
    return forgotten;
  }

  has(id: string): boolean {
    return this.log.some((e) => e.activity.id === id);
  }

  /** Kept activities after a watermark (all kept ones when it is undefined). */
  since(watermark: number | undefined): ActivitySet {
    const after = watermark ?? 0;
    return { activities: this.log.filter((e) => e.seq > after).map((e) => e.activity), watermark: this.watermark };
  }

  subscribe(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    for (const oldest of this.listeners) {
      if (this.listeners.size <= this.limits.maxListeners) break;
      this.listeners.delete(oldest);
      oldest.end(1008, 'too many streams for this conversation');
    }
    return () => this.listeners.delete(listener);
  }

  endListeners(code: number, reason: string): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    listeners.forEach((listener) => listener.end(code, reason));
  }

  /** Runs deliveries to the bot one after another, in the order they were posted. */
  enqueue<T>(deliver: () => Promise<T>): Promise<T> {
    const run = this.deliveryTail.then(deliver, deliver);
    this.deliveryTail = run.catch(() => undefined);
    return run;
  }

  private broadcast(activities: ChannelActivity[]): void {
    const set = { activities, watermark: this.watermark };
    this.listeners.forEach((listener) => listener.send(set));
  }
}

export interface RegistryOptions extends ConversationLimits {
  maxConversations: number;
  /** A conversation with no open stream and no traffic for this long is forgotten. */
  idleMs: number;
  now?: () => number;
  /** Called after a conversation is forgotten (revoke its tokens). */
  onEvict?: (conversationId: string) => void;
}

/**
 * The conversations this instance holds, in memory and bounded: past `maxConversations` the least
 * recently used one (preferring one with no open stream) is forgotten, and idle ones are swept.
 */
export class ConversationRegistry {
  private readonly conversations = new Map<string, Conversation>();
  private readonly now: () => number;

  constructor(private readonly options: RegistryOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.conversations.size;
  }

  create(userId?: string): Conversation {
    while (this.conversations.size >= this.options.maxConversations) this.evictLeastRecentlyUsed();
    const conversation = new Conversation(this.options, this.now(), userId);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The conversation, marked as just used; undefined when unknown or forgotten. */
  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    conversation.lastActiveAt = this.now();
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** The conversations bound to `userId`. */
  ofUser(userId: string): Conversation[] {
    return [...this.conversations.values()].filter((conversation) => conversation.userId === userId);
  }

  /** Forgets conversations idle past `idleMs` with no open stream. Returns how many. */
  sweepIdle(): number {
    const cutoff = this.now() - this.options.idleMs;
    let evicted = 0;
    for (const conversation of [...this.conversations.values()]) {
      if (conversation.lastActiveAt <= cutoff && conversation.listenerCount === 0) {
        this.evict(conversation, 1000, 'conversation idle');
        evicted += 1;
      }
    }
    return evicted;
  }

  /** Closes every stream and forgets everything. */
  close(): void {
    for (const conversation of [...this.conversations.values()]) this.evict(conversation, 1001, 'server shutting down');
  }

  private evictLeastRecentlyUsed(): void {
    let victim: Conversation | undefined;
    for (const conversation of this.conversations.values()) {
      victim ??= conversation;
      if (conversation.listenerCount === 0) {
        victim = conversation;
        break;
      }
    }
    if (victim) this.evict(victim, 1000, 'conversation evicted');
  }

  private evict(conversation: Conversation, code: number, reason: string): void {
    this.conversations.delete(conversation.id);
    conversation.endListeners(code, reason);
    this.options.onEvict?.(conversation.id);
  }
}
