import { z } from 'zod';
import type { Adviser } from '../advisers/adviser-directory';
import type { Filter } from '../store/port';
import type { EscalationDeps } from './deps';
import {
  ESCALATION_STATUSES,
  escalationIdSchema,
  isVisibleTo,
  OPEN_STATUSES,
  toView,
  visibilityFilter,
  type EscalationDoc,
  type EscalationView,
} from './escalation';

/**
 * What advisers do with escalations. Each function checks visibility itself (an adviser sees their
 * caseload; the duty team sees the unassigned) and answers `not-found` for anything else, so the
 * existence of another caseload's escalation is never disclosed. Every call is audited.
 */
export type ActionResult = { ok: true; escalation: EscalationView } | { ok: false; reason: 'not-found' | 'already-resolved' };

export const resolutionNoteSchema = z
  .string()
  .trim()
  .min(1, 'write a short note on how it was resolved')
  .max(2000, 'keep the note under 2000 characters')
  .refine((note) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(note), 'the note contains control characters');

async function visible(deps: EscalationDeps, adviser: Adviser, id: string, action: 'acknowledge' | 'resolve') {
  const doc = escalationIdSchema.safeParse(id).success ? await deps.escalations.get(id) : null;
  if (doc && isVisibleTo(doc, adviser)) return doc;
  await deps.audit.record({ kind: 'adviser', id: adviser.id }, 'access-refused', doc ? [doc._id] : [], { attempted: action, exists: !!doc });
  return null;
}

export async function acknowledge(deps: EscalationDeps, adviser: Adviser, id: string, via: 'api' | 'card' = 'api'): Promise<ActionResult> {
  const doc = await visible(deps, adviser, id, 'acknowledge');
  if (!doc) return { ok: false, reason: 'not-found' };
  if (doc.status === 'resolved') return { ok: false, reason: 'already-resolved' };
  if (doc.status === 'acknowledged') return { ok: true, escalation: toView(doc) };

  const now = deps.clock.now().toISOString();
  const updated = await deps.escalations.update(
    doc._id,
    { status: { $in: ['raised', 'notified'] } },
    { $set: { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: adviser.id, updatedAt: now, ackDueAt: null } },
  );
  const current = updated ?? (await deps.escalations.get(doc._id));
  if (!current) return { ok: false, reason: 'not-found' };
  if (updated) {
    await deps.audit.record({ kind: 'adviser', id: adviser.id }, 'acknowledged', [doc._id], { via, severity: doc.severity });
    deps.logger?.info({ escalationId: doc._id, adviserId: adviser.id, via }, 'escalation acknowledged');
  }
  if (current.status === 'resolved') return { ok: false, reason: 'already-resolved' };
  return { ok: true, escalation: toView(current) };
}

export async function resolve(deps: EscalationDeps, adviser: Adviser, id: string, note: string): Promise<ActionResult> {
  const checkedNote = resolutionNoteSchema.parse(note);
  const doc = await visible(deps, adviser, id, 'resolve');
  if (!doc) return { ok: false, reason: 'not-found' };
  if (doc.status === 'resolved') return { ok: false, reason: 'already-resolved' };

  const now = deps.clock.now().toISOString();
  const updated = await deps.escalations.update(
    doc._id,
    { status: { $in: [...OPEN_STATUSES] } },
    {
      $set: {
        status: 'resolved',
        resolvedAt: now,
        resolvedBy: adviser.id,
        resolutionNote: checkedNote,
        updatedAt: now,
        ackDueAt: null,
        ...(doc.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedBy: adviser.id }),
      },
    },
  );
  if (!updated) return { ok: false, reason: 'already-resolved' };
  await deps.audit.record({ kind: 'adviser', id: adviser.id }, 'resolved', [doc._id], { severity: doc.severity, noteLength: checkedNote.length });
  deps.logger?.info({ escalationId: doc._id, adviserId: adviser.id }, 'escalation resolved');
  return { ok: true, escalation: toView(updated) };
}

export const listQuerySchema = z
  .object({
    status: z.enum(ESCALATION_STATUSES).optional(),
    open: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** How many resolved escalations the unfiltered list shows after every open one. */
const RECENTLY_RESOLVED = 500;

/**
 * The caller's own caseload, newest first. Every open escalation is always listed: an old,
 * unacknowledged one must never drop off the end behind newer ones.
 */
export async function listForAdviser(
  deps: EscalationDeps,
  adviser: Adviser,
  query: z.infer<typeof listQuerySchema> = {},
): Promise<EscalationView[]> {
  const visible: Filter = { ...visibilityFilter(adviser) };
  const open = (): Promise<EscalationDoc[]> => deps.escalations.list({ ...visible, status: { $in: [...OPEN_STATUSES] } }, Number.MAX_SAFE_INTEGER);
  let docs: EscalationDoc[];
  if (query.status) docs = await deps.escalations.list({ ...visible, status: query.status });
  else if (query.open === 'true') docs = await open();
  else {
    const [openDocs, resolved] = await Promise.all([open(), deps.escalations.list({ ...visible, status: 'resolved' }, RECENTLY_RESOLVED)]);
    docs = [...openDocs, ...resolved].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  await deps.audit.record({ kind: 'adviser', id: adviser.id }, 'listed', docs.map((doc) => doc._id), { count: docs.length });
  return docs.map(toView);
}
