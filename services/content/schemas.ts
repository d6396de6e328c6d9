import { z } from 'zod';
import { contentMetadataSchema } from './metadata';

/**
 * One schema per kind of content. Every kind carries the shared editorial metadata
 * (`contentMetadataSchema`); our kinds are strict, so a misspelt key ("reviwer") is an error
 * rather than silently ignored. `safety-lexicon` files belong to the safety module: only their
 * metadata is checked here.
 */

export const contentIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lower-case words joined by . or -');

const body = z.string().trim().min(1, 'the body is empty');
const related = z.array(contentIdSchema).default([]);

/** Template parameters: `params: { name: string, amount: number }`, used as `{name}` in the body. */
export const paramTypeSchema = z.enum(['string', 'number']);
export type ParamType = z.infer<typeof paramTypeSchema>;
export const paramsSchema = z.record(
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a parameter name is letters and digits, like firstName'),
  paramTypeSchema,
);
export type ParamSpec = z.infer<typeof paramsSchema>;

/** Scripted text: dialog templates and notices. `suggestions` are the button labels shown with it. */
const scriptedFields = {
  body,
  params: paramsSchema.default({}),
  suggestions: z.array(z.string().trim().min(1).max(40)).max(6).default([]),
  related,
};

export const templateSchema = contentMetadataSchema
  .safeExtend({ kind: z.literal('template'), ...scriptedFields })
  .strict();

export const noticeSchema = contentMetadataSchema
  .safeExtend({ kind: z.literal('notice'), ...scriptedFields })
  .strict();

/**
 * Circumstances an entitlement depends on, as data the entitlement tracker's rules read.
 * Every situation listed must apply; an empty list means every care leaver in the age range.
 */
export const situationSchema = z.enum([
  'former-relevant-child',
  'in-foster-care-at-18',
  'in-council-arranged-home',
  'looked-after-at-16-or-17',
  'looked-after-12-months-no-child-trust-fund',
  'setting-up-home',
  'homeless-or-at-risk',
  'renting-with-housing-costs-help',
  'paying-council-tax',
  'in-further-education-16-18',
  'starting-higher-education',
  'starting-apprenticeship',
]);
export type Situation = z.infer<typeof situationSchema>;

const age = z.number().int().min(16).max(25);

export const eligibilitySchema = z
  .object({
    /** Youngest age (in whole years, inclusive) at which it applies. */
    minAge: age,
    /** Oldest age (inclusive): "to their 25th birthday" is 24. Absent: no upper limit within 16–25. */
    maxAge: age.optional(),
    situations: z.array(situationSchema).default([]),
    /** True when the council decides whether, or how much: check the local offer. */
    councilLocal: z.boolean(),
    /** False while the law that creates it waits for commencement. */
    inForce: z.boolean().default(true),
  })
  .strict()
  .refine((e) => e.maxAge === undefined || e.maxAge >= e.minAge, {
    path: ['maxAge'],
    message: 'maxAge must not be below minAge',
  });
export type Eligibility = z.infer<typeof eligibilitySchema>;

export const amountSchema = z
  .object({
    gbp: z.number().positive(),
    /** How to read the figure: an exact sum, a ceiling, or a recommended floor that councils vary. */
    basis: z.enum(['fixed', 'up-to', 'recommended-minimum']),
    per: z.enum(['once', 'year', 'total']),
  })
  .strict();

export const entitlementSchema = contentMetadataSchema
  .safeExtend({
    kind: z.literal('entitlement'),
    body,
    eligibility: eligibilitySchema,
    amount: amountSchema.optional(),
    howToClaim: z.string().trim().min(1),
    /** What the facts file marks unverified. The body must then say it is not confirmed yet. */
    unconfirmed: z.array(z.string().trim().min(1)).default([]),
    related,
  })
  .strict();

export const guideSchema = contentMetadataSchema
  .safeExtend({
    kind: z.literal('guide'),
    topic: z.enum(['housing', 'work', 'education', 'money', 'wellbeing']),
    body,
    related,
  })
  .strict();

export const signpostingSchema = contentMetadataSchema
  .safeExtend({ kind: z.literal('signposting'), body, related })
  .strict();

const phone = z.string().regex(/^\+?[0-9][0-9 ]{2,15}$/, 'a phone number: digits and spaces');
const httpsUrl = z.url({ protocol: /^https$/ });

/**
 * A council's local offer to its care leavers. The website must be on gov.uk, which every English
 * council uses; Tribe publishes no invented council (test fixtures use an obviously fictional one).
 */
export const localOfferSchema = contentMetadataSchema
  .safeExtend({
    kind: z.literal('local-offer'),
    body,
    council: z
      .object({
        name: z.string().trim().min(3),
        website: httpsUrl.refine((url) => /(^|\.)gov\.uk$/.test(new URL(url).hostname), 'a council website is on gov.uk'),
      })
      .strict(),
    councilTaxExemption: z
      .object({
        offered: z.boolean(),
        upToAge: z.number().int().min(18).max(25).optional(),
        percent: z.number().int().min(1).max(100).optional(),
        howToApply: z.string().trim().min(1).optional(),
      })
      .strict(),
    settingUpHomeAllowance: z
      .object({ gbp: z.number().nonnegative(), notes: z.string().trim().min(1).optional() })
      .strict(),
    leisurePasses: z
      .array(z.object({ name: z.string().min(1), description: z.string().min(1), url: httpsUrl.optional() }).strict())
      .default([]),
    contacts: z
      .array(
        z
          .object({
            team: z.string().min(1),
            phone: phone.optional(),
            email: z.email().optional(),
            url: httpsUrl.optional(),
          })
          .strict()
          .refine((c) => c.phone || c.email || c.url, 'a contact needs a phone, email or url'),
      )
      .min(1),
    related,
  })
  .strict();

/**
 * Kinds owned by other modules, which validate their own keys (the safety screen's lexicon and
 * normalisation tables, the council list). Only the shared metadata is checked here; every other
 * key passes through untouched.
 */
export type ExternalKind = `safety-${string}` | 'council-list';

export function isExternalKind(kind: unknown): kind is ExternalKind {
  return typeof kind === 'string' && (/^safety-[a-z]+(-[a-z]+)*$/.test(kind) || kind === 'council-list');
}

export const externalItemSchema = contentMetadataSchema
  .safeExtend({ kind: z.custom<ExternalKind>(isExternalKind, 'a kind owned by another module') })
  .loose();

export const schemasByKind = {
  template: templateSchema,
  notice: noticeSchema,
  entitlement: entitlementSchema,
  guide: guideSchema,
  signposting: signpostingSchema,
  'local-offer': localOfferSchema,
} as const;

export type OwnKind = keyof typeof schemasByKind;
export type ContentKind = OwnKind | ExternalKind;
export const ownKinds = Object.keys(schemasByKind) as OwnKind[];

export type Template = z.infer<typeof templateSchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type Entitlement = z.infer<typeof entitlementSchema>;
export type Guide = z.infer<typeof guideSchema>;
export type Signposting = z.infer<typeof signpostingSchema>;
export type LocalOffer = z.infer<typeof localOfferSchema>;
export type ExternalItem = z.infer<typeof externalItemSchema>;

/** Items whose text this module owns and a person reads. */
export type ReadableItem = Template | Notice | Entitlement | Guide | Signposting | LocalOffer;
export type ContentItem = ReadableItem | ExternalItem;
export type ItemOfKind<K extends ContentKind> = K extends OwnKind ? Extract<ReadableItem, { kind: K }> : ExternalItem;
/** Items the bot renders from a template: scripted text with typed parameters. */
export type ScriptedItem = Template | Notice;

export function isReadable(item: ContentItem): item is ReadableItem {
  return isOwnKind(item.kind);
}

export function isOwnKind(kind: unknown): kind is OwnKind {
  return typeof kind === 'string' && Object.hasOwn(schemasByKind, kind);
}
