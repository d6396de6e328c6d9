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

function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isAccount(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isText((value as { id?: unknown }).id, 1, 512);
}

/**
 * The same rules as `inboundActivitySchema`, checked by hand: every turn passes here, and an
 * acceptable activity needs no more than these few comparisons. The schema still decides, and
 * words the problems, whenever this says no (a test holds the two to the same verdicts).
 */
export function isAcceptableActivity(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const activity = body as Record<string, unknown>;
  return (
    isText(activity.type, 1, 64) &&
    isText(activity.channelId, 1, 64) &&
    isText(activity.serviceUrl, 1, 2048) &&
    isAccount(activity.conversation) &&
    isAccount(activity.from) &&
    (activity.text === undefined || isText(activity.text, 0, 20_000))
  );
}

/** Returns a readable list of what is wrong, or null when the activity is acceptable. */
export function describeActivityProblems(body: unknown): string | null {
  if (isAcceptableActivity(body)) return null;
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return null;
  return parsed.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
