import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { addMonths } from './catalog';
import { checkContent } from './check';
import { ContentError, loadContent } from './loader';

/**
 * Records a review: the reviewer approves the item, so it becomes published with today's
 * `reviewedAt` and a new `reviewBy`. The file is edited in place (comments and key order kept), and
 * put back as it was when the result would not pass `content check`.
 */

export interface ReviewRequest {
  id: string;
  /** A role, like "pa-reviewer": records hold no personal names. */
  reviewer: string;
  /** YYYY-MM-DD, Europe/London. */
  today: string;
  /** Defaults to six months from today. */
  reviewBy?: string;
}

export interface ReviewResult {
  file: string;
  reviewBy: string;
}

export const reviewerRolePattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/;

export function recordReview(dir: string, request: ReviewRequest): ReviewResult {
  const reviewBy = request.reviewBy ?? addMonths(request.today, 6);
  const refuse = (message: string): never => {
    throw new ContentError([{ file: dir, field: request.id, message }], 'review not recorded');
  };
  if (!reviewerRolePattern.test(request.reviewer)) {
    refuse(`reviewer "${request.reviewer}" must be a role in lower-case words joined by -, like pa-reviewer`);
  }
  if (!(reviewBy > request.today)) refuse(`reviewBy ${reviewBy} must be after today (${request.today})`);

  const found = loadContent(dir).items.find((loaded) => loaded.item.id === request.id);
  if (!found) return refuse(`no valid content file has the id "${request.id}" (run content check)`);
  const { item, file } = found;
  if (item.author.toLowerCase() === request.reviewer.toLowerCase()) refuse('the reviewer must not be the author');
  if (item.status === 'retired') refuse('retired content cannot be reviewed; copy it to a new draft instead');

  const absolute = path.resolve(file);
  const original = fs.readFileSync(absolute, 'utf8');
  fs.writeFileSync(
    absolute,
    withMetadata(original, path.extname(absolute).toLowerCase() === '.md', {
      status: 'published',
      reviewer: request.reviewer,
      reviewedAt: request.today,
      reviewBy,
    }),
  );

  const faults = checkContent(dir, { today: request.today, requirements: {} }).errors.filter((problem) => problem.file === file);
  if (faults.length > 0) {
    fs.writeFileSync(absolute, original);
    throw new ContentError(faults, `review not recorded: ${file} would not pass content check`);
  }
  return { file, reviewBy };
}

function withMetadata(text: string, isMarkdown: boolean, values: Record<string, string>): string {
  const match = isMarkdown ? frontMatterPattern.exec(text) : null;
  const document = YAML.parseDocument(match ? match[1]! : text);
  for (const [key, value] of Object.entries(values)) document.set(key, value);
  if (!match) return document.toString();
  return `---\n${document.toString()}---${match[2]}${text.slice(match[0].length)}`;
}
