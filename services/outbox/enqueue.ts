import { z } from 'zod';
import type { Clock } from '../clock';
import type { OutboundMessage, StoredReference } from '../messaging/messenger';
import type { OutboxRepository } from './outbox-repository';

export const DEFAULT_MAX_ATTEMPTS = 8;

const enqueueSchema = z.object({
  idempotencyKey: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces'),
  topic: z.string().min(1).max(64),
  subjectId: z.string().min(1).max(128).nullable().optional(),
  recipientKey: z.string().min(1).max(256),
  maxAttempts: z.number().int().min(1).max(50).optional(),
});

export interface EnqueueInput {
  /** Same key, same logical message: a second enqueue does nothing. */
  idempotencyKey: string;
  topic: string;
  subjectId?: string | null;
  recipientKey: string;
  recipient: StoredReference;
  message: OutboundMessage;
  maxAttempts?: number;
}

export interface OutboxDeps {
  outbox: OutboxRepository;
  clock: Clock;
}

/**
 * Persists a message for later delivery. When it resolves the row is stored: from then on the
 * drain delivers it at least once, or marks it `failed` (visible, never silently dropped).
 */
export async function enqueueMessage(deps: OutboxDeps, input: EnqueueInput): Promise<{ id: string; created: boolean }> {
  const checked = enqueueSchema.parse({
    idempotencyKey: input.idempotencyKey,
    topic: input.topic,
    subjectId: input.subjectId,
    recipientKey: input.recipientKey,
    maxAttempts: input.maxAttempts,
  });
  const created = await deps.outbox.insert(
    {
      idempotencyKey: checked.idempotencyKey,
      topic: checked.topic,
      subjectId: checked.subjectId ?? null,
      recipientKey: checked.recipientKey,
      recipient: input.recipient,
      message: input.message,
      maxAttempts: checked.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    },
    deps.clock.now(),
  );
  return { id: checked.idempotencyKey, created };
}
