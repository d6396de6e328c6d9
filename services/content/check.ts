import { botTemplates } from './bot-templates';
import { addDays, ContentCatalog } from './catalog';
import { type ContentProblem, type LoadedItem, loadContent } from './loader';
import { readabilityProblem } from './readability';
import { type TemplateRequirements, templateProblems } from './require';
import { type ContentItem, isReadable, type ReadableItem } from './schemas';
import { placeholderMismatches, placeholdersIn } from './templates';

/**
 * The editorial check behind `npm run content -- check`: schema, references, sources for facts,
 * links, readability, template params, and the templates the bot needs. Errors fail CI; warnings
 * (content due for review soon, or already expired and so not served) do not.
 */

export interface CheckOptions {
  /** YYYY-MM-DD, Europe/London. */
  today: string;
  /** Warn about published content whose review-by date falls within this many days. */
  dueDays?: number;
  /** Templates that must be servable today; defaults to what the bot needs. */
  requirements?: TemplateRequirements;
}

export interface CheckReport {
  items: LoadedItem[];
  errors: ContentProblem[];
  warnings: ContentProblem[];
}

/** Kinds that state facts about the world, so every one needs at least one source. */
const factualKinds = new Set<ContentItem['kind']>(['entitlement', 'guide', 'signposting', 'local-offer']);
/** Money or a phone number in scripted text is a fact too: 0800 023 2033, 116 123, 999, £3,000. */
const factPattern = /£\s?\d|\b(?:0\d{2,4} ?\d{3,4}(?: ?\d{3,4})?|\d{3} \d{3}|999|111|101|85258)\b/;

export function checkContent(dir: string, options: CheckOptions): CheckReport {
  const { items, problems } = loadContent(dir);
  const errors: ContentProblem[] = [...problems];
  const warnings: ContentProblem[] = [];
  const byId = new Map(items.map((loaded) => [loaded.item.id, loaded]));

  for (const { item, file } of items) {
    const fault = (field: string | undefined, message: string) => errors.push({ file, ...(field ? { field } : {}), message });

    if (isReadable(item)) {
      for (const message of referenceProblems(item, byId)) fault('related', message);
      for (const message of linkProblems(item.body)) fault('body', message);
      for (const message of bodyProblems(item)) fault('body', message);
      const hardToRead = readabilityProblem(item);
      if (hardToRead) fault('body', hardToRead);
      const missingSources = sourceProblem(item);
      if (missingSources) fault('sources', missingSources);
    }

    if (item.status === 'published') {
      if (item.reviewBy < options.today) {
        warnings.push({ file, field: 'reviewBy', message: `expired on ${item.reviewBy}: not served until it is reviewed again` });
      } else if (item.reviewBy <= addDays(options.today, options.dueDays ?? 30)) {
        warnings.push({ file, field: 'reviewBy', message: `due for review by ${item.reviewBy}` });
      }
    }
  }

  const catalog = new ContentCatalog(
    items.map((loaded) => loaded.item),
    { clock: { now: () => new Date(`${options.today}T12:00:00Z`) } },
  );
  for (const { id, message } of templateProblems(catalog, options.requirements ?? botTemplates)) {
    errors.push({ file: byId.get(id)?.file ?? dir, message: `needed by the bot: ${message}` });
  }

  return { items, errors, warnings };
}

function referenceProblems(item: ReadableItem, byId: ReadonlyMap<string, LoadedItem>): string[] {
  return item.related.flatMap((id) => {
    const target = byId.get(id)?.item;
    if (!target) return [`"${id}" does not exist`];
    if (id === item.id) return [`"${id}" refers to itself`];
    if (item.status === 'published' && target.status !== 'published') {
      return [`"${id}" is ${target.status}, so a published item cannot point to it`];
    }
    return [];
  });
}

/** Markdown links must go to a well-formed https address, or be tel:/sms: with digits. */
export function linkProblems(body: string): string[] {
  const problems: string[] = [];
  for (const [, text, target] of body.matchAll(/\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g)) {
    const problem = targetProblem(target ?? '');
    if (problem) problems.push(`link "${text}" → "${target}": ${problem}`);
  }
  for (const [url] of body.matchAll(/\bhttp:\/\/\S+/g)) problems.push(`"${url}" must use https`);
  return problems;
}

function targetProblem(target: string): string | undefined {
  if (/^(tel|sms):\+?[0-9]{3,15}$/.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'not a well-formed address';
  }
  if (url.protocol !== 'https:') return 'must use https (or tel:/sms: with digits only)';
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)) return 'the host name is not well-formed';
  return undefined;
}

function bodyProblems(item: ReadableItem): string[] {
  if (item.kind === 'template' || item.kind === 'notice') return placeholderMismatches(item.body, item.params);
  const problems = placeholdersIn(item.body).map((name) => `{${name}} is a template placeholder, but ${withArticle(item.kind)} is never rendered with params`);
  if (item.kind === 'entitlement') {
    if (item.unconfirmed.length > 0 && !/not (yet )?confirmed|not confirmed yet/i.test(item.body)) {
      problems.push(`unconfirmed (${item.unconfirmed.join(', ')}) must be said plainly: the body must say it is "not confirmed yet"`);
    }
    if (!item.eligibility.inForce && !/not (yet )?in force|not in force yet/i.test(item.body)) {
      problems.push('eligibility.inForce is false, so the body must say it is "not in force yet"');
    }
  }
  return problems;
}

function sourceProblem(item: ReadableItem): string | undefined {
  if (item.sources.length > 0 || item.status === 'draft') return undefined;
  if (factualKinds.has(item.kind)) return `${withArticle(item.kind)} states facts, so it needs at least one source (title, https url, date)`;
  if (factPattern.test(item.body)) return 'the body gives an amount or a phone number, so it needs at least one source';
  return undefined;
}

function withArticle(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}
