import { z } from 'zod';
import { isoDate } from '../content/metadata';

/**
 * A care leaver's profile: only what they agreed to share in onboarding. There is no profile
 * without consent; the key is stable per channel and user (`userKeyOf`).
 */
export const SITUATIONS = ['education', 'apprenticeship', 'work', 'looking-for-work', 'parent'] as const;
export type Situation = (typeof SITUATIONS)[number];

/** Where they live now. The last two are homelessness and reach the safety screen. */
export const HOMES = [
  'foster-carers',
  'supported-lodgings',
  'semi-independent',
  'own-tenancy',
  'friends-or-family',
  'sofa-surfing',
  'nowhere',
] as const;
export type Home = (typeof HOMES)[number];

export const HOMELESS_HOMES: ReadonlySet<Home> = new Set<Home>(['sofa-surfing', 'nowhere']);

export const storedReferenceSchema = z
  .object({
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).loose(),
    bot: z.object({ id: z.string() }).loose().optional(),
    user: z.object({ id: z.string() }).loose().optional(),
    locale: z.string().optional(),
  })
  .loose();

/** Either an exact date of birth, or an age on a given day (the young person's choice). */
export const birthSchema = z.union([
  z.object({ kind: z.literal('dob'), dateOfBirth: isoDate }),
  z.object({ kind: z.literal('age'), age: z.number().int().min(10).max(40), on: isoDate }),
]);
export type Birth = z.infer<typeof birthSchema>;

export const profileSchema = z.object({
  _id: z.string().min(3).max(600),
  consent: z.object({ version: z.string().min(1), givenAt: z.string() }),
  preferredName: z.string().min(1).max(40).optional(),
  birth: birthSchema.optional(),
  councilId: z.string().min(1).max(80).optional(),
  /** Absent until they have answered; empty when none of the situations fit. */
  situations: z.array(z.enum(SITUATIONS)).optional(),
  home: z.enum(HOMES).optional(),
  adviserId: z.string().min(1).optional(),
  remindersPaused: z.boolean().default(false),
  /** Where their reminders go: the conversation reference (ids only, no names). */
  reference: storedReferenceSchema.optional(),
  onboardedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof profileSchema>;

/** The stable key for a user on a channel: `${channelId}:${from.id}`. */
export function userKeyOf(channelId: string, fromId: string): string {
  return `${channelId}:${fromId}`;
}
