import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Adviser } from '../advisers/adviser-directory';
import type { Filter } from '../store/port';
import { severityRank as screenSeverityRank } from '../safety/types';

/**
 * An escalation: a concern the safety screen found, owned by the care leaver's PA or the duty team.
 * Lifecycle: raised → notified → acknowledged → resolved. It keeps only the triggering excerpt,
 * category, severity, times, owner and ids — nothing else of the chat.
 */
export const ESCALATION_SEVERITIES = ['medium', 'high', 'urgent'] as const;
export type EscalationSeverity = (typeof ESCALATION_SEVERITIES)[number];
export const escalationSeveritySchema = z.enum(ESCALATION_SEVERITIES);

/** Contract categories plus whatever the screen adds later (lower-case words joined by _). */
export const escalationCategorySchema = z.string().regex(/^[a-z][a-z_]{1,47}$/, 'a category id');

export const ESCALATION_STATUSES = ['raised', 'notified', 'acknowledged', 'resolved'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];
export const OPEN_STATUSES: EscalationStatus[] = ['raised', 'notified', 'acknowledged'];
export const UNACKNOWLEDGED_STATUSES: EscalationStatus[] = ['raised', 'notified'];

export type Owner = { kind: 'adviser'; adviserId: string } | { kind: 'duty' };

/** Stored shape. Timestamps are ISO-8601 UTC strings (`toISOString`), which compare as text. */
export interface EscalationDoc {
  _id: string;
  userKey: string;
  conversationKey: string;
  severity: EscalationSeverity;
  category: string;
  status: EscalationStatus;
  excerpt: string;
  ownerKind: 'adviser' | 'duty';
  ownerAdviserId: string | null;
  /** The duty team may see and act on it: always for duty-owned ones, and after an SLA breach. */
  dutyAccess: boolean;
  raiseCount: number;
  createdAt: string;
  updatedAt: string;
  lastRaisedAt: string;
  severityRaisedAt: string;
  /** Severity changes only (no text). */
  history: Array<{ at: string; severity: EscalationSeverity; category: string }>;
  noticeEnqueuedAt: string | null;
  notifiedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  /** When the next unacknowledged-SLA reminder is due (null for `medium`, or once acknowledged). */
  ackDueAt: string | null;
  slaRepeats: number;
  /** The young person's last answer to "Are you safe right now?" (absent until they answer). */
  safeCheck?: { answer: 'safe' | 'not-safe'; at: string };
  /** Idempotency keys of the concerns raised into it (random ids, no personal data). */
  raiseKeys?: string[];
  [key: string]: unknown;
}

export const ESCALATION_ID = /^esc-[a-hjkmnp-z2-9]{12}$/;
export const escalationIdSchema = z.string().regex(ESCALATION_ID, 'an escalation id looks like esc-abcdefgh2345');
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newEscalationId(): string {
  let id = 'esc-';
  for (let i = 0; i < 12; i += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function severityRank(severity: EscalationSeverity): number {
  return screenSeverityRank(severity);
}

export const EXCERPT_MAX = 280;

/** The triggering message, whitespace collapsed, cut to 280 characters on a code-point boundary. */
export function excerptOf(text: string, max = EXCERPT_MAX): string {
  const collapsed = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(collapsed);
  return chars.length <= max ? collapsed : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export function ownerOf(doc: EscalationDoc): Owner {
  return doc.ownerKind === 'adviser' && doc.ownerAdviserId ? { kind: 'adviser', adviserId: doc.ownerAdviserId } : { kind: 'duty' };
}

/** Least disclosure: an adviser sees their own caseload; the duty team sees the unassigned. */
export function isVisibleTo(doc: EscalationDoc, adviser: Adviser): boolean {
  if (doc.ownerKind === 'adviser' && doc.ownerAdviserId === adviser.id) return true;
  return adviser.team === 'duty' && doc.dutyAccess;
}

export function visibilityFilter(adviser: Adviser): Filter {
  return adviser.team === 'duty'
    ? { $or: [{ ownerKind: 'adviser', ownerAdviserId: adviser.id }, { dutyAccess: true }] }
    : { ownerKind: 'adviser', ownerAdviserId: adviser.id };
}

/** What the adviser API returns: contract fields first. No user key, no conversation id. */
export interface EscalationView {
  id: string;
  severity: EscalationSeverity;
  category: string;
  status: EscalationStatus;
  createdAt: string;
  updatedAt: string;
  owner: Owner;
  excerpt: string;
  raiseCount: number;
  notifiedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  ackDueAt: string | null;
  safeCheck: { answer: 'safe' | 'not-safe'; at: string } | null;
}

export function toView(doc: EscalationDoc): EscalationView {
  return {
    id: doc._id,
    severity: doc.severity,
    category: doc.category,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    owner: ownerOf(doc),
    excerpt: doc.excerpt,
    raiseCount: doc.raiseCount,
    notifiedAt: doc.notifiedAt,
    acknowledgedAt: doc.acknowledgedAt,
    acknowledgedBy: doc.acknowledgedBy,
    resolvedAt: doc.resolvedAt,
    resolvedBy: doc.resolvedBy,
    resolutionNote: doc.resolutionNote,
    ackDueAt: doc.ackDueAt,
    safeCheck: doc.safeCheck ?? null,
  };
}
