import { type Clock, londonDate, systemClock } from '../clock';
import { defaultContentDir, loadContentOrThrow } from './loader';
import { isServable } from './metadata';
import type { ContentItem, ContentKind, ItemOfKind, ScriptedItem } from './schemas';
import { type ParamValues, renderScripted } from './templates';

export interface CatalogOptions {
  /** Decides what has passed its review-by date; Europe/London calendar days. */
  clock?: Clock;
}

/** Why an id cannot be served right now, in words an editor can act on. */
export type Unavailability = 'missing' | 'not published' | 'past its review-by date';

export class ContentUnavailableError extends Error {
  constructor(
    readonly id: string,
    readonly reason: Unavailability | 'not a template or notice',
  ) {
    super(`content "${id}" cannot be served: ${reason}`);
    this.name = 'ContentUnavailableError';
  }
}

/**
 * The runtime view of `content/`: only published items whose review-by date has not passed are ever
 * returned. Servability is decided at each call, so an item that expires while the bot runs stops
 * being served that day without a restart.
 */
export class ContentCatalog {
  private readonly byId: ReadonlyMap<string, ContentItem>;
  private readonly clock: Clock;
  /**
   * Dialogs look up and render the same scripted items a dozen times a turn. Items are loaded once
   * and never change in the process, so within one Europe/London day the answer for an id never
   * changes either: these hold the servable scripted items, and the rendered text of those that
   * take no params, for `cacheDay` only (emptied when the day changes, so an item that expires at
   * midnight stops being served then, as before). Only ids in the catalog that could be served are
   * kept, so each holds at most one entry per item; unavailable ids are never cached and throw every
   * time, as before.
   */
  private cacheDay = '';
  private readonly scriptedToday = new Map<string, ScriptedItem>();
  private readonly renderedToday = new Map<string, string>();

  constructor(items: readonly ContentItem[], options: CatalogOptions = {}) {
    this.byId = new Map(items.map((item) => [item.id, item]));
    this.clock = options.clock ?? systemClock;
  }

  /** Loads and validates `dir` (default: the project's `content/`); throws `ContentError` listing every fault. */
  static load(dir: string = defaultContentDir(), options: CatalogOptions = {}): ContentCatalog {
    return new ContentCatalog(
      loadContentOrThrow(dir).map((loaded) => loaded.item),
      options,
    );
  }

  /** Today in Europe/London, as YYYY-MM-DD. */
  today(): string {
    return londonDate(this.clock.now());
  }

  /** A servable item, or undefined. */
  get(id: string): ContentItem | undefined {
    const item = this.byId.get(id);
    return item && isServable(item, this.today()) ? item : undefined;
  }

  /** A servable item of the given kind, or undefined. */
  getOfKind<K extends ContentKind>(id: string, kind: K): ItemOfKind<K> | undefined {
    const item = this.get(id);
    return item?.kind === kind ? (item as ItemOfKind<K>) : undefined;
  }

  /** Every servable item of a kind, in id order. */
  list<K extends ContentKind>(kind: K): ItemOfKind<K>[] {
    const today = this.today();
    return [...this.byId.values()]
      .filter((item): item is ItemOfKind<K> => item.kind === kind && isServable(item, today))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Why `id` is not servable today, or undefined when it is. */
  unavailability(id: string): Unavailability | undefined {
    return unavailabilityOf(this.byId.get(id), this.today());
  }

  /** Renders a servable template or notice; throws when it is unavailable or the params are wrong. */
  render(id: string, params: ParamValues = {}): string {
    const item = this.scripted(id);
    if (!noKeys(params) || !noKeys(item.params)) return renderScripted(item, params);
    let text = this.renderedToday.get(id);
    if (text === undefined) {
      text = renderScripted(item, params);
      this.renderedToday.set(id, text);
    }
    return text;
  }

  /** A servable template or notice; throws `ContentUnavailableError` otherwise. */
  scripted(id: string): ScriptedItem {
    const today = this.today();
    if (today !== this.cacheDay) {
      this.scriptedToday.clear();
      this.renderedToday.clear();
      this.cacheDay = today;
    }
    const known = this.scriptedToday.get(id);
    if (known) return known;
    const item = this.byId.get(id);
    const reason = unavailabilityOf(item, today);
    if (reason) throw new ContentUnavailableError(id, reason);
    if (item!.kind !== 'template' && item!.kind !== 'notice') throw new ContentUnavailableError(id, 'not a template or notice');
    this.scriptedToday.set(id, item!);
    return item!;
  }

  /** Published items whose review-by date falls within `days` from today (already expired ones too). */
  dueWithin(days: number): ContentItem[] {
    const limit = addDays(this.today(), days);
    return [...this.byId.values()]
      .filter((item) => item.status === 'published' && item.reviewBy <= limit)
      .sort((a, b) => a.reviewBy.localeCompare(b.reviewBy) || a.id.localeCompare(b.id));
  }
}

function unavailabilityOf(item: ContentItem | undefined, today: string): Unavailability | undefined {
  if (!item) return 'missing';
  if (item.status !== 'published') return 'not published';
  if (!isServable(item, today)) return 'past its review-by date';
  return undefined;
}

/** True when an object has no own enumerable keys (no params given, or none declared). */
function noKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Adds calendar months to a YYYY-MM-DD date, keeping to the last day of a shorter month. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
