import { parseArgs } from 'node:util';
import { londonDate } from '../services/clock';
import { addDays } from '../services/content/catalog';
import { checkContent } from '../services/content/check';
import { ContentError, defaultContentDir, formatProblem, loadContent } from '../services/content/loader';
import { recordReview } from '../services/content/review';
import { allTemplateRequirements } from '../bot/template-requirements';

/**
 * The editorial CLI.
 *   content check [--due-days 30]           validate everything; exit 1 on any error
 *   content due [days]                      published items whose review falls due within days (default 30)
 *   content review <id> --reviewer <role>   record a review (publishes the item) [--review-by YYYY-MM-DD]
 * Every command takes --dir <folder> (default: the project's content/).
 */

const usage = `usage:
  npm run content -- check [--due-days N] [--dir DIR]
  npm run content -- due [DAYS] [--dir DIR]
  npm run content -- review <id> --reviewer <role> [--review-by YYYY-MM-DD] [--dir DIR]`;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      reviewer: { type: 'string' },
      'review-by': { type: 'string' },
      'due-days': { type: 'string' },
    },
  });
  const [command, argument] = positionals;
  const dir = values.dir ?? defaultContentDir();
  const today = londonDate(new Date());

  switch (command) {
    case 'check':
      return check(dir, today, wholeNumber(values['due-days'] ?? '30', '--due-days'));
    case 'due':
      return due(dir, today, wholeNumber(argument ?? '30', 'days'));
    case 'review': {
      if (!argument || !values.reviewer) return fail(usage);
      const { file, reviewBy } = recordReview(dir, {
        id: argument,
        reviewer: values.reviewer,
        today,
        ...(values['review-by'] ? { reviewBy: values['review-by'] } : {}),
      });
      console.log(`recorded: ${argument} reviewed by ${values.reviewer} on ${today}, published, next review by ${reviewBy} (${file})`);
      return 0;
    }
    default:
      return fail(usage);
  }
}

function check(dir: string, today: string, dueDays: number): number {
  const { items, errors, warnings } = checkContent(dir, { today, dueDays, requirements: allTemplateRequirements });
  for (const warning of warnings) console.log(`warning  ${formatProblem(warning)}`);
  for (const error of errors) console.error(`error    ${formatProblem(error)}`);
  const summary = `content check: ${items.length} valid files, ${errors.length} errors, ${warnings.length} warnings`;
  if (errors.length > 0) {
    console.error(`${summary}. Fix the errors above: CI fails until then.`);
    return 1;
  }
  console.log(`${summary}.`);
  return 0;
}

function due(dir: string, today: string, days: number): number {
  const limit = addDays(today, days);
  const { items, problems } = loadContent(dir);
  const dueItems = items
    .filter(({ item }) => item.status === 'published' && item.reviewBy <= limit)
    .sort((a, b) => a.item.reviewBy.localeCompare(b.item.reviewBy));
  for (const { item, file } of dueItems) {
    const state = item.reviewBy < today ? 'EXPIRED (not served)' : 'due';
    console.log(`${item.reviewBy}  ${state.padEnd(20)} ${item.id}  (${file})`);
  }
  console.log(`${dueItems.length} published item(s) due for review by ${limit}.`);
  if (problems.length > 0) console.error(`${problems.length} file(s) are invalid and not listed: run content check.`);
  return 0;
}

function wholeNumber(text: string, name: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number of days, not "${text}"`);
  return Number(text);
}

class UsageError extends Error {}

function fail(message: string): number {
  console.error(message);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ContentError || error instanceof UsageError) {
    process.exitCode = fail(error.message);
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    process.exitCode = fail(`${error.message}\n${usage}`);
  } else {
    throw error;
  }
}
