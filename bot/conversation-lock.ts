import type { Middleware, TurnContext } from 'botbuilder';
import type { ConversationLeases } from '../services/store/conversation-leases';

const LEASE_TTL_MS = 30_000;
const RETRY_MS = 15;

/**
 * Serialises turns of one conversation, so a fast second message cannot race the first one's
 * state write (Bot Framework writes state with eTag '*'). Inside this instance a queue per
 * conversation does it; with `leases` (a store shared by several instances) a lease in the store
 * does it across instances too.
 */
export class ConversationLock implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly leases?: ConversationLeases) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      await this.acrossInstances(key, next);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private async acrossInstances(key: string, next: () => Promise<void>): Promise<void> {
    if (!this.leases) return next();
    const deadline = Date.now() + LEASE_TTL_MS;
    let holder = await this.leases.tryAcquire(key, LEASE_TTL_MS);
    // A turn holds the lease for milliseconds; past the deadline the other holder's lease has run out.
    while (!holder && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
      holder = await this.leases.tryAcquire(key, LEASE_TTL_MS);
    }
    if (!holder) throw new Error('could not take the conversation lease');
    try {
      await next();
    } finally {
      await this.leases.release(key, holder);
    }
  }
}
