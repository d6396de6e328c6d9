import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logging';
import type { EscalationDeps } from './deps';
import { escalationCategorySchema, escalationSeveritySchema, excerptOf } from './escalation';
import { errorSummary } from '../error-summary';
import { erasedKeyOf } from './erasures';
import { raiseConcern } from './raise-concern';

/**
 * The last resort of rule 1 ("every escalation is persisted; it is never dropped"): when the store
 * is down through every retry, the concern goes into a local append-only spool file under
 * `DATA_DIR`, one JSON line per concern with its idempotency key, fsync'd before the young person
 * gets their reply. It is replayed into the store on start-up and by a background job once the
 * store answers again; the key makes a replay that runs twice (or after a crash half-way, or on
 * two instances) raise the escalation once.
 *
 * - The file holds what the escalation itself would hold (ids, severity, category, the ≤ 280
 *   character excerpt), never the whole message. It is created 0600.
 * - **One file per instance.** With MongoDB nothing locks `DATA_DIR`, so instances may share it.
 *   Each writes only `escalation-spool-<instance>.jsonl`, where the instance name is the host name
 *   (a container's or pod's own name), so a restarted process on the same host finds the file its
 *   predecessor left. Two processes on one host sharing one `DATA_DIR` must pass distinct
 *   `instance` names.
 * - **Nothing is orphaned.** A replay first adopts, by an atomic rename to a name of its own, the
 *   spool of an older version (`escalation-spool.jsonl`) and any other instance's file not
 *   modified for `orphanAfterMs` (a live instance touches its file every few seconds: see
 *   `touch()`); it waits `adoptGraceMs` for a write in flight there, then merges it into its own
 *   file. A rename only one instance can win, and keys, keep that idempotent.
 * - A replayed entry gets a `done` line; then the file is rewritten with only what is pending
 *   (write to a temp file named by instance, pid and a random id; fsync; rename; fsync the
 *   directory).
 * - **Serialised in process.** Every file operation (append, done mark, adopt, compaction) is
 *   synchronous, so none can interleave with another inside one process: compaction reads the file
 *   and renames over it with no await in between, so an append made while a replay awaited the
 *   store is in what compaction reads.
 * - **A bad entry does not block the rest.** An entry that the store refuses as input, or that no
 *   longer passes validation (a `ZodError`, not a store outage), is moved to
 *   `escalation-spool-<instance>.rejected.jsonl` (kept for an operator, logged by key only) and the
 *   replay goes on. Unreadable lines are moved there too at compaction.
 * - Nothing here logs the excerpt, a user key or a conversation id.
 */
/** The single spool file of versions before per-instance files; adopted on replay. */
export const LEGACY_SPOOL_FILE = 'escalation-spool.jsonl';
const INSTANCE_FILE = /^escalation-spool-[A-Za-z0-9_-]{1,64}\.jsonl$/;
/** A file some instance adopted and had not merged yet (it may have stopped half-way). */
const ADOPTED_FILE = /^escalation-spool-[A-Za-z0-9_-]{1,64}\.jsonl\.adopt-[A-Za-z0-9-]{1,80}$/;

/** This host's instance name: the host name, limited to letters, digits, `_` and `-`. */
export function spoolInstanceName(host: string = hostname()): string {
  const name = host.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return name || 'local';
}

/** The spool file of one instance. */
export function spoolFileName(instance: string = spoolInstanceName()): string {
  const name = spoolInstanceName(instance);
  return `escalation-spool-${name}.jsonl`;
}

export interface SpoolOptions {
  /** Default: this host's name. */
  instance?: string;
  /** Another instance's file untouched this long is adopted (default 15 minutes). */
  orphanAfterMs?: number;
  /** After adopting a file, how long to wait for a write already in flight there (default 1 s). */
  adoptGraceMs?: number;
}

export const DEFAULT_ORPHAN_AFTER_MS = 15 * 60_000;

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
  /** Entries set aside in the `.rejected` file in this run (never raisable as they are). */
  rejected: number;
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

/** An error that says this entry cannot be raised as it is (not that the store is down). */
function isEntryError(error: unknown): boolean {
  if (error instanceof z.ZodError || error instanceof RangeError) return true;
  return error instanceof Error && (error.name === 'ZodError' || error.name === 'InvalidStoreInputError');
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

interface SpoolContents {
  entries: SpoolEntry[];
  done: Set<string>;
  /** Lines that are neither an entry nor a done mark (a torn line, a malformed entry). */
  unreadable: string[];
}

function parseSpool(raw: string): SpoolContents {
  const entries = new Map<string, SpoolEntry>();
  const done = new Set<string>();
  const unreadable: string[] = [];
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      unreadable.push(line);
      continue;
    }
    const entry = entrySchema.safeParse(parsed);
    if (entry.success) {
      if (!entries.has(entry.data.key)) entries.set(entry.data.key, entry.data);
      continue;
    }
    const mark = doneSchema.safeParse(parsed);
    if (mark.success) done.add(mark.data.done);
    else unreadable.push(line);
  }
  return { entries: [...entries.values()], done, unreadable };
}

function readSpool(file: string): SpoolContents {
  try {
    return parseSpool(readFileSync(file, 'utf8'));
  } catch (error) {
    if (isMissing(error)) return { entries: [], done: new Set(), unreadable: [] };
    throw error;
  }
}

export class EscalationSpool {
  readonly file: string;
  /** Entries set aside: kept for an operator, never replayed automatically. */
  readonly rejectedFile: string;
  readonly instance: string;
  private readonly dir: string;
  private readonly orphanAfterMs: number;
  private readonly adoptGraceMs: number;
  private pendingCount: number | null = null;
  private replaying: Promise<ReplayReport> | null = null;
  /** Keys whose own raise attempt (in this process) may still land. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    dataDir: string,
    private readonly logger?: Logger,
    options: SpoolOptions = {},
  ) {
    this.dir = path.resolve(dataDir);
    this.instance = spoolInstanceName(options.instance);
    this.file = path.join(this.dir, spoolFileName(this.instance));
    this.rejectedFile = path.join(this.dir, `escalation-spool-${this.instance}.rejected.jsonl`);
    this.orphanAfterMs = options.orphanAfterMs ?? DEFAULT_ORPHAN_AFTER_MS;
    this.adoptGraceMs = options.adoptGraceMs ?? 1_000;
  }

  /**
   * Appends a concern and fsyncs it. Throws if the disk refuses (the caller logs loudly).
   * `inFlight`: an attempt to raise this same concern that was abandoned but may still land; the
   * replay leaves the entry alone until it has settled, so the two cannot both create it.
   */
  append(input: SpoolInput, options: { inFlight?: Promise<unknown> } = {}): void {
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
    this.appendLine(this.file, JSON.stringify(entry));
    const inFlight = options.inFlight;
    if (inFlight) {
      this.inFlight.set(entry.key, inFlight);
      const settled = () => {
        if (this.inFlight.get(entry.key) === inFlight) this.inFlight.delete(entry.key);
      };
      inFlight.then(settled, settled);
    }
    this.pendingCount = this.pendingCount === null ? this.pending().length : this.pendingCount + 1;
    this.logger?.warn({ severity: entry.severity, category: entry.category }, 'escalation spooled locally: it is replayed when the store answers');
  }

  /** Concerns not yet replayed in this instance's file, oldest first. A torn line is skipped. */
  pending(): SpoolEntry[] {
    const { entries, done, unreadable } = readSpool(this.file);
    if (unreadable.length > 0) this.logger?.error({ lines: unreadable.length }, 'escalation spool has unreadable lines');
    return entries.filter((entry) => !done.has(entry.key));
  }

  /** How many concerns wait (read from disk once, then kept up to date). */
  pendingCountNow(): number {
    this.pendingCount ??= this.pending().length;
    return this.pendingCount;
  }

  /** Marks this instance's file as alive (so no other instance adopts it). A missing file is fine. */
  touch(): void {
    try {
      const now = new Date();
      utimesSync(this.file, now, now);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** True when a legacy or orphaned spool file waits to be adopted (cheap: one directory read). */
  hasAdoptable(): boolean {
    return this.adoptable().length > 0 || this.ownAdopted().length > 0;
  }

  /**
   * Raises every pending concern into the store, oldest first, stopping at the first refusal by
   * the store; an entry that cannot be raised as it is goes to the `.rejected` file and the replay
   * goes on. One replay at a time: a call while one runs shares it.
   */
  replay(deps: EscalationDeps): Promise<ReplayReport> {
    this.replaying ??= this.replayNow(deps).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayNow(deps: EscalationDeps): Promise<ReplayReport> {
    const report: ReplayReport = { replayed: 0, pending: 0, storeDown: false, rejected: 0 };
    if (this.claimAdoptable() > 0 && this.adoptGraceMs > 0) {
      // A process that still had one of those files open may be writing its last line there.
      await new Promise((resolve) => setTimeout(resolve, this.adoptGraceMs));
    }
    this.mergeAdopted();
    // Always from disk: the file is the truth (the counter only spares the timer a read).
    const entries = this.pending();
    this.pendingCount = entries.length;
    if (entries.length === 0) {
      if (readSpool(this.file).unreadable.length > 0) this.compact();
      return report;
    }
    let waiting = 0;
    for (const [index, entry] of entries.entries()) {
      if (this.inFlight.has(entry.key)) {
        // Its first attempt may still land: replaying now could create it twice. Next run.
        waiting += 1;
        continue;
      }
      try {
        // Raised before the person deleted their data: it comes back as deletion leaves an open concern.
        const erasedAt = await deps.erasures.erasedAt(entry.userKey);
        const erased = erasedAt !== null && entry.at <= erasedAt;
        await raiseConcern(deps, {
          userKey: erased ? erasedKeyOf(entry.userKey) : entry.userKey,
          conversationKey: erased ? erasedKeyOf(entry.userKey) : entry.conversationKey,
          severity: entry.severity,
          category: entry.category,
          messageText: erased ? '' : entry.excerpt,
          forceNotice: entry.forceNotice,
          idempotencyKey: entry.key,
          raisedAt: entry.at,
          source: 'spool',
        });
      } catch (error) {
        if (isEntryError(error)) {
          // Not the store: this entry would fail the same way for ever. Set it aside, go on.
          this.appendLine(this.rejectedFile, JSON.stringify({ v: 1, rejected: entry, reason: errorSummary(error).type }));
          this.appendLine(this.file, JSON.stringify({ v: 1, done: entry.key }));
          report.rejected += 1;
          this.logger?.error({ err: error, key: entry.key }, 'escalation spool entry cannot be raised: set aside in the rejected file for an operator');
          continue;
        }
        report.storeDown = true;
        report.pending = waiting + entries.length - index;
        this.pendingCount = report.pending;
        this.logger?.warn({ err: error, pending: report.pending }, 'escalation spool replay waits: the store still refuses');
        return report;
      }
      this.appendLine(this.file, JSON.stringify({ v: 1, done: entry.key }));
      report.replayed += 1;
    }
    this.compact();
    report.pending = this.pendingCountNow();
    this.logger?.info({ replayed: report.replayed, rejected: report.rejected, pending: report.pending }, 'escalation spool replayed into the store');
    return report;
  }

  /** The legacy file and other instances' files untouched for `orphanAfterMs`, if not empty. */
  private adoptable(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const own = path.basename(this.file);
    const now = Date.now();
    const found: string[] = [];
    for (const name of names) {
      const legacy = name === LEGACY_SPOOL_FILE;
      if (!legacy && (name === own || name.startsWith(`${own}.`) || !(INSTANCE_FILE.test(name) || ADOPTED_FILE.test(name)))) continue;
      try {
        const stat = statSync(path.join(this.dir, name));
        if (!stat.isFile() || stat.size === 0) continue;
        // The later of the last write and the last rename or touch: a file another instance has
        // just adopted (a rename) is not stale.
        const lastChange = Math.max(stat.mtimeMs, stat.ctimeMs);
        if (legacy || now - lastChange >= this.orphanAfterMs) found.push(path.join(this.dir, name));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return found;
  }

  /** Files this instance adopted and has not merged yet (also after a crash half-way). */
  private ownAdopted(): string[] {
    const prefix = `${path.basename(this.file)}.adopt-`;
    try {
      return readdirSync(this.dir)
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map((name) => path.join(this.dir, name));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Renames each adoptable file to a name of this instance's: one instance wins each. */
  private claimAdoptable(): number {
    let claimed = 0;
    for (const from of this.adoptable()) {
      const to = `${this.file}.adopt-${Date.now()}-${randomUUID()}`;
      try {
        renameSync(from, to);
        claimed += 1;
      } catch (error) {
        if (!isMissing(error)) throw error; // another instance adopted it first
      }
    }
    if (claimed > 0) {
      fsyncDirectory(this.dir);
      this.logger?.warn({ files: claimed }, 'escalation spool: adopted spool files of an earlier version or a stopped instance');
    }
    return claimed;
  }

  /** Copies what adopted files still hold into this instance's file, then removes them. */
  private mergeAdopted(): void {
    for (const adopted of this.ownAdopted()) {
      const { entries, done, unreadable } = readSpool(adopted);
      const left = entries.filter((entry) => !done.has(entry.key));
      // Appended (and fsync'd) before the adopted file goes: a crash in between only repeats keys.
      if (left.length > 0) this.appendLine(this.file, left.map((entry) => JSON.stringify(entry)).join('\n'));
      if (unreadable.length > 0) this.setAsideUnreadable(unreadable);
      try {
        unlinkSync(adopted);
      } catch (error) {
        if (!isMissing(error)) throw error; // another instance took it over: it merges it too
      }
      fsyncDirectory(this.dir);
    }
    this.pendingCount = null;
  }

  private setAsideUnreadable(lines: string[]): void {
    this.appendLine(this.rejectedFile, lines.map((line) => JSON.stringify({ v: 1, unreadable: line, reason: 'unreadable' })).join('\n'));
    this.logger?.error({ lines: lines.length }, 'escalation spool: unreadable lines set aside in the rejected file');
  }

  /**
   * Rewrites the file with only what is still pending. Synchronous from the read to the rename,
   * so no append of this process can fall between them.
   */
  private compact(): void {
    const { entries, done, unreadable } = readSpool(this.file);
    const left = entries.filter((entry) => !done.has(entry.key));
    if (unreadable.length > 0) this.setAsideUnreadable(unreadable);
    const temp = `${this.file}.${this.instance}.${process.pid}.${randomUUID()}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      if (left.length > 0) writeSync(fd, left.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    fsyncDirectory(this.dir);
    this.pendingCount = left.length;
  }

  private appendLine(file: string, line: string): void {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(file, 'a', 0o600);
    try {
      // A leading newline too: a line torn by a crash never runs into the next one.
      writeSync(fd, `\n${line}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDirectory(this.dir);
  }
}
