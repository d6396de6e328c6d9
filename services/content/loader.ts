import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { z } from 'zod';
import { type ContentItem, externalItemSchema, isExternalKind, isOwnKind, ownKinds, schemasByKind } from './schemas';
import { projectRoot } from '../project-root';

/** One fault in one file, precise enough to fix without opening the loader. */
export interface ContentProblem {
  file: string;
  /** Dotted path of the offending field; absent when the fault is the whole file. */
  field?: string;
  message: string;
}

export interface LoadedItem {
  item: ContentItem;
  /** Path of the file it came from, relative to the working directory. */
  file: string;
}

export interface LoadResult {
  items: LoadedItem[];
  problems: ContentProblem[];
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}${problem.field ? ` › ${problem.field}` : ''}: ${problem.message}`;
}

export class ContentError extends Error {
  constructor(
    readonly problems: ContentProblem[],
    headline = 'invalid content',
  ) {
    super(`${headline}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ContentError';
  }
}

/** The project's own `content/` folder, whether run from source or dist. */
export function defaultContentDir(): string {
  return path.join(projectRoot, 'content');
}

const contentExtensions = new Set(['.md', '.yaml', '.yml']);

/**
 * Reads every content file under `dir` and validates it. Never throws for bad content: it returns
 * every valid item and every problem, so an editor sees all faults at once.
 */
export function loadContent(dir: string): LoadResult {
  const items: LoadedItem[] = [];
  const problems: ContentProblem[] = [];
  const firstFileById = new Map<string, string>();

  for (const absolute of listFiles(dir)) {
    const file = path.relative(process.cwd(), absolute) || absolute;
    if (!contentExtensions.has(path.extname(absolute).toLowerCase())) {
      problems.push({ file, message: 'only .md, .yaml and .yml files belong in content/ (READMEs are skipped)' });
      continue;
    }
    const parsed = parseFile(absolute, file);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const validated = validate(parsed.data, file);
    if ('problems' in validated) {
      problems.push(...validated.problems);
      continue;
    }
    const earlier = firstFileById.get(validated.item.id);
    if (earlier) {
      problems.push({ file, field: 'id', message: `"${validated.item.id}" is already used by ${earlier}` });
      continue;
    }
    firstFileById.set(validated.item.id, file);
    items.push({ item: validated.item, file });
  }
  return { items, problems };
}

/** Like `loadContent`, but refuses (with every problem listed) when any file is invalid. */
export function loadContentOrThrow(dir: string): LoadedItem[] {
  const { items, problems } = loadContent(dir);
  if (problems.length > 0) throw new ContentError(problems, `content in ${dir} is invalid`);
  return items;
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || /^readme(\.|$)/i.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** YAML 1.2 (the `yaml` package), so `reviewBy: 2027-05-01` stays a string rather than a Date. */
const matterOptions = { engines: { yaml: (text: string) => YAML.parse(text) as object } };

function parseFile(absolute: string, file: string): { data: unknown } | { problem: ContentProblem } {
  const text = fs.readFileSync(absolute, 'utf8');
  try {
    if (path.extname(absolute).toLowerCase() !== '.md') return { data: YAML.parse(text) };
    if (!matter.test(text)) return { problem: { file, message: 'a Markdown file starts with --- front matter ---' } };
    const { data, content } = matter(text, matterOptions);
    if ('body' in data) {
      return { problem: { file, field: 'body', message: 'in Markdown the body is the text below the front matter, not a key' } };
    }
    return { data: { ...data, body: content.trim() } };
  } catch (error) {
    return { problem: { file, message: `cannot be parsed: ${(error as Error).message.split('\n')[0]}` } };
  }
}

function validate(data: unknown, file: string): { item: ContentItem } | { problems: ContentProblem[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { problems: [{ file, message: 'must hold a mapping of keys (id, kind, title, …)' }] };
  }
  const kind = (data as { kind?: unknown }).kind;
  const schema: z.ZodType<ContentItem> | undefined = isOwnKind(kind)
    ? (schemasByKind[kind] as z.ZodType<ContentItem>)
    : isExternalKind(kind)
      ? externalItemSchema
      : undefined;
  if (!schema) {
    return {
      problems: [{ file, field: 'kind', message: `must be one of ${ownKinds.join(', ')}, or a kind another module owns (safety-…, council-list)` }],
    };
  }
  const result = schema.safeParse(data);
  if (result.success) return { item: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      file,
      ...(issue.path.length > 0 ? { field: issue.path.join('.') } : {}),
      message: issue.message,
    })),
  };
}
