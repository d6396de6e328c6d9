import { z } from 'zod';

/** Bodies and queries of the local Direct Line channel, validated before anything else runs. */

const userId = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'letters, digits and _ . : @ - only, at most 128 characters');

/** `POST /v3/directline/tokens/generate`: an optional user to bind to the token. Names are ignored. */
export const generateTokenBody = z.object({
  user: z.object({ id: userId, name: z.string().max(256).optional() }).optional(),
});

/** `POST /v3/directline/conversations` as Direct Line JS sends it. */
export const startConversationBody = z.object({
  user: z.object({ id: userId.optional() }).optional(),
  locale: z.string().max(35).optional(),
});

/** `?watermark=` is the last watermark the client saw; empty means "from the start". */
export const watermarkQuery = z.object({
  watermark: z
    .union([z.literal(''), z.literal('-'), z.string().regex(/^\d{1,15}$/, 'a number')])
    .optional()
    .transform((value) => (value && value !== '-' ? Number(value) : undefined)),
});

const channelAccount = z.object({ id: userId, name: z.string().max(256).optional(), role: z.string().max(32).optional() });

const attachment = z
  .object({
    contentType: z.string().min(1).max(256),
    contentUrl: z.string().max(2048).optional(),
    content: z.unknown().optional(),
    name: z.string().max(256).optional(),
    thumbnailUrl: z.string().max(2048).optional(),
  });

/**
 * An activity a Direct Line client posts. Only fields a client may set pass; the channel sets
 * id, timestamp, serviceUrl, channelId, conversation and recipient itself.
 */
export const clientActivityBody = z.object({
  type: z.enum(['message', 'typing', 'event']),
  from: channelAccount,
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  attachments: z.array(attachment).max(10).optional(),
  entities: z.array(z.object({ type: z.string().max(256) }).loose()).max(20).optional(),
  channelData: z.object({ clientActivityID: z.string().max(256).optional() }).loose().optional(),
});
export type ClientActivityBody = z.infer<typeof clientActivityBody>;

/** An activity the bot sends through the Bot Connector API. Bot Framework adds many optional fields. */
export const botActivityBody = z
  .object({
    type: z.string().min(1).max(64),
    text: z.string().max(100_000).optional(),
    replyToId: z.string().max(512).optional(),
  })
  .loose();

/** Readable `path: message; …` for a failed parse. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}
