import { z } from 'zod';

/**
 * The least an inbound activity must carry before the adapter sees it. Bot Framework adds
 * many optional fields; we check only what a turn depends on, and pass the rest through.
 */
const account = z.object({ id: z.string().min(1).max(512) }).loose();

export const inboundActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().min(1).max(2048),
    conversation: account,
    from: account,
    text: z.string().max(20_000).optional(),
  })
  .loose();

/** Returns a readable list of what is wrong, or null when the activity is acceptable. */
export function describeActivityProblems(body: unknown): string | null {
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return null;
  return parsed.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
