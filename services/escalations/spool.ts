import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logging';
import type { EscalationDeps } from './deps';
import { escalationCategorySchema, escalationSeveritySchema, excerptOf } from './escalation';
import { errorSummary } from '../error-summary';
import { raiseConcern } from './raise-concern';

/**
 * The last resort of rule 1 ("every escalation is persisted; it is never dropped"): when the store
 * is down through every retry, the concern goes into a local append-only spool file under
 * `DATA_DIR`, one JSON line per concern with its idempotency key, fsync'd before the young person
 * gets their reply. It is replayed into the store on start-up and by a background job once the
 * store answers again; the key makes a replay that runs twice (or after a crash half-way) raise
 * the escalation once.
 *
 * - The file holds what the escalation itself would hold (ids, severity, category, the ≤ 280
 *   character excerpt), never the whole message. It is created 0600.
 * - A replayed entry gets a `done` line; when nothing is pending the file is rewritten empty
 *   (write-to-temp, fsync, rename, fsync the directory).
 * - Writes are synchronous, so appends and compaction never interleave inside one process. The
 *   spool belongs to one process: give each instance its own `DATA_DIR` (the embedded store
 *   insists on that anyway).
 * - Nothing here logs the excerpt, a user key or a conversation id.
 */
export const SPOOL_FILE = 'escalation-spool.jsonl';

const entrySchema = z.object({
  v: z.literal(1),
  key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  at: z.iso.datetime(),
  userKey: z.string().min(1).max(600),
  conversationKey: z.string().min(1).max(600),
  severity: escalationSeveritySchema,
  category: escalationCategorySchema,
  excerpt: z.string().max(2000),
  forceNotice: z.boolean(),
});
const doneSchema = z.object({ v: z.literal(1), done: z.string().min(1).max(64) });

export type SpoolEntry = z.infer<typeof entrySchema>;

export interface SpoolInput {
  key: string;
  at: Date;
  userKey: string;
  conversationKey: string;
  severity: 'urgent' | 'high' | 'medium';
  category: string;
  messageText: string;
  forceNotice?: boolean;
}

export interface ReplayReport {
  replayed: number;
  pending: number;
  /** True when the store refused and the rest waits for the next run. */
  storeDown: boolean;
}

/** A fresh idempotency key for one concern. */
export function newConcernKey(): string {
  return randomUUID().replace(/-/g, '');
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class EscalationSpool {
  readonly file: string;
  private pendingCount: number | null = null;
  private replaying: Promise<ReplayReport> | null = null;

  constructor(
    dataDir: string,
    private readonly logger?: Logger,
  ) {
    this.file = path.join(path.resolve(dataDir), SPOOL_FILE);
  }

  /** Appends a concern and fsyncs it. Throws if the disk refuses (the caller logs loudly). */
  append(input: SpoolInput): void {
    const entry: SpoolEntry = entrySchema.parse({
      v: 1,
      key: input.key,
      at: input.at.toISOString(),
      userKey: input.userKey,
      conversationKey: input.conversationKey,
      severity: input.severity,
      category: input.category,
      excerpt: excerptOf(input.messageText),
      forceNotice: input.forceNotice ?? false,
    });
    this.appendLine(JSON.stringify(entry));
    this.pendingCount = this.pendingCount === null ? this.pending().length : this.pendingCount + 1;
    this.logger?.warn({ severity: entry.severity, category: entry.category }, 'escalation spooled locally: it is replayed when the store answers');
  }

  /** Concerns not yet replayed, oldest first. A torn last line (a crash mid-append) is skipped. */
  pending(): SpoolEntry[] {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries = new Map<string, SpoolEntry>();
    const done = new Set<string>();
    let unreadable = 0;
    for (const line of raw.split('\n')) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        unreadable += 1;
        continue;
      }
      const entry = entrySchema.safeParse(parsed);
      if (entry.success) {
        if (!entries.has(entry.data.key)) entries.set(entry.data.key, entry.data);
        continue;
      }
      const mark = doneSchema.safeParse(parsed);
      if (mark.success) done.add(mark.data.done);
      else unreadable += 1;
    }
    if (unreadable > 0) this.logger?.error({ lines: unreadable }, 'escalation spool has unreadable lines');
    return [...entries.values()].filter((entry) => !done.has(entry.key));
  }

  /** How many concerns wait (read from disk once, then kept up to date). */
  pendingCountNow(): number {
    this.pendingCount ??= this.pending().length;
    return this.pendingCount;
  }

  /**
   * Raises every pending concern into the store, oldest first, stopping at the first refusal.
   * One replay at a time: a call while one runs shares it.
   */
  replay(deps: EscalationDeps): Promise<ReplayReport> {
    this.replaying ??= this.replayNow(deps).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayNow(deps: EscalationDeps): Promise<ReplayReport> {
    const report: ReplayReport = { replayed: 0, pending: 0, storeDown: false };
    // Always from disk: the file is the truth (the counter only spares the timer a read).
    const entries = this.pending();
    this.pendingCount = entries.length;
    if (entries.length === 0) return report;
    for (const [index, entry] of entries.entries()) {
      try {
        await raiseConcern(deps, {
          userKey: entry.userKey,
          conversationKey: entry.conversationKey,
          severity: entry.severity,
          category: entry.category,
          messageText: entry.excerpt,
          forceNotice: entry.forceNotice,
          idempotencyKey: entry.key,
          raisedAt: entry.at,
          source: 'spool',
        });
      } catch (error) {
        report.storeDown = true;
        report.pending = entries.length - index;
        this.pendingCount = report.pending;
        this.logger?.warn({ err: errorSummary(error), pending: report.pending }, 'escalation spool replay waits: the store still refuses');
        return report;
      }
      this.appendLine(JSON.stringify({ v: 1, done: entry.key }));
      report.replayed += 1;
    }
    this.compact();
    report.pending = this.pendingCountNow();
    this.logger?.info({ replayed: report.replayed, pending: report.pending }, 'escalation spool replayed into the store');
    return report;
  }

  /** Rewrites the file with only what is still pending (synchronously: no append can interleave). */
  private compact(): void {
    const left = this.pending();
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      if (left.length > 0) writeSync(fd, left.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    fsyncDirectory(path.dirname(this.file));
    this.pendingCount = left.length;
  }

  private appendLine(line: string): void {
    const dir = path.dirname(this.file);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      // A leading newline too: a line torn by a crash never runs into the next one.
      writeSync(fd, `\n${line}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDirectory(dir);
  }
}
