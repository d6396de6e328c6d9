import readability from 'text-readability-ts';
import type { ReadableItem } from './schemas';

/**
 * Reading grade of what young people read, by the Flesch–Kincaid grade formula from
 * `text-readability-ts` (a TypeScript port of Python's textstat). A US grade plus about five is the
 * UK reading age: grade 6 reads at about 11, grade 8 at about 13.
 */

/** Anything written for care leavers. */
export const youngPersonGradeLimit = 8;
/** Notices (the privacy notice) are written for a reading age of about 11. */
export const noticeGradeLimit = 6;
/** Shorter texts are not scored: the formula is noise on a sentence or two. */
export const minWordsToScore = 40;

/** Markdown to plain sentences: links keep their text, every line or bullet ends as a sentence. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\{[a-zA-Z][a-zA-Z0-9]*\}/g, 'Sam')
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*(?:#+|[-*+]|\d+[.)])\s+/, '')
        .replace(/[*_`>]/g, '')
        .trim(),
    )
    .filter((line) => line.length > 0)
    .map((line) => (/[.!?:]$/.test(line) ? line : `${line}.`))
    .join(' ');
}

export function wordCount(text: string): number {
  return readability.lexiconCount(text);
}

/** Flesch–Kincaid grade of Markdown text. */
export function readingGrade(markdown: string): number {
  return readability.fleschKincaidGrade(plainText(markdown));
}

export function gradeLimitFor(item: ReadableItem): number | undefined {
  if (!item.audience.includes('care-leaver')) return undefined;
  return item.kind === 'notice' ? noticeGradeLimit : youngPersonGradeLimit;
}

/** A sentence saying why `item` is too hard to read, or undefined when it is fine (or not scored). */
export function readabilityProblem(item: ReadableItem): string | undefined {
  const limit = gradeLimitFor(item);
  if (limit === undefined) return undefined;
  const text = plainText(item.body);
  if (wordCount(text) < minWordsToScore) return undefined;
  const grade = readability.fleschKincaidGrade(text);
  if (grade <= limit) return undefined;
  return `reads at grade ${grade.toFixed(1)} (Flesch–Kincaid); young people's ${item.kind === 'notice' ? 'notices' : 'content'} must be at grade ${limit} or below: use shorter sentences and shorter words`;
}
