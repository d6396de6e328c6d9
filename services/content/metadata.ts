import { z } from 'zod';

/**
 * Editorial metadata every content file carries (front matter in Markdown, top-level keys in YAML).
 * Nothing reaches a user unless `status` is `published`, `reviewer` differs from `author`
 * and `reviewBy` has not passed.
 */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const sourceSchema = z.object({
  title: z.string().min(3),
  url: z.url({ protocol: /^https$/ }),
  date: isoDate,
});

export const contentMetadataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lower-case words joined by . or -'),
    kind: z.string().min(1),
    title: z.string().min(1),
    audience: z.array(z.enum(['care-leaver', 'trusted-adult', 'adviser'])).min(1),
    keywords: z.array(z.string().min(1)).default([]),
    status: z.enum(['draft', 'in-review', 'published', 'retired']),
    author: z.string().min(1),
    reviewer: z.string().min(1).optional(),
    reviewedAt: isoDate.optional(),
    reviewBy: isoDate,
    sources: z.array(sourceSchema).default([]),
  })
  .superRefine((meta, ctx) => {
    if (meta.reviewer && meta.reviewer.trim().toLowerCase() === meta.author.trim().toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['reviewer'], message: 'the reviewer must not be the author' });
    }
    if (meta.status === 'published' && (!meta.reviewer || !meta.reviewedAt)) {
      ctx.addIssue({ code: 'custom', path: ['reviewer'], message: 'published content needs a reviewer and reviewedAt' });
    }
  });

export type ContentMetadata = z.infer<typeof contentMetadataSchema>;

/** True when an item may be shown to a user on `today` (YYYY-MM-DD, Europe/London). */
export function isServable(meta: Pick<ContentMetadata, 'status' | 'reviewBy'>, today: string): boolean {
  return meta.status === 'published' && meta.reviewBy >= today;
}
