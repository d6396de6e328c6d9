import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../services/project-root';
import { createSafetyScreen } from '../services/safety/pipeline';
import { DEFAULT_RECENT_MESSAGES, RecentMessages, screenWithRecent } from '../services/safety/recent-messages';
import { EVAL_LABELS, computeMetrics, formatMetrics, type Outcome, type Verdict } from '../services/safety/evaluate';
import { severityRank, type ScreenResult } from '../services/safety/types';

/**
 * Thoughts split over several messages (`test/eval/safety-split-messages.jsonl`: each line a label
 * and the 2 to 4 messages one person sent in a row). Each message is screened in turn as the safety
 * gate screens it, once alone and once with the recent messages before it
 * (services/safety/recent-messages.ts); an item counts as caught by the most serious result among
 * its messages. Prints both, so what reading recent messages adds, and costs in false alarms, is
 * plain.
 *
 *   npm run build --silent && node dist/scripts/eval-split-messages.js [--file F] [--no-misses]
 */
const itemSchema = z.strictObject({ label: z.enum(EVAL_LABELS), messages: z.array(z.string().min(1)).min(2).max(6) });
type Item = z.infer<typeof itemSchema>;

function readItems(file: string): Item[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      const parsed = itemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
      return parsed.data;
    });
}

/** The most serious of a conversation's results (crisis signposting if any had it). */
function mostSerious(results: readonly ScreenResult[]): Verdict {
  const top = results.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
  return { ...top, needsCrisisSignposting: results.some((result) => result.needsCrisisSignposting) };
}

async function main(): Promise<void> {
  const fileArg = process.argv.indexOf('--file');
  const file = fileArg >= 0 ? process.argv[fileArg + 1]! : path.join(projectRoot, 'test', 'eval', 'safety-split-messages.jsonl');
  const items = readItems(file);
  const screen = createSafetyScreen();
  await screen.warmUp(); // as npm start does
  const alone: Outcome[] = [];
  const withRecent: Outcome[] = [];
  let now = Date.UTC(2026, 10, 24, 12);
  const clock = { now: () => new Date(now) };
  for (const item of items) {
    const recent = new RecentMessages(DEFAULT_RECENT_MESSAGES, clock);
    const each: ScreenResult[] = [];
    const inContext: ScreenResult[] = [];
    for (const text of item.messages) {
      now += 20_000; // a message every 20 seconds
      // the whole screen, as the gate calls it (with the sentence reading)
      const result = await screen.screen(text);
      each.push(result);
      inContext.push((await screenWithRecent(screen.screen, recent, { speaker: { conversation: 'eval', person: 'eval' }, text, alone: result, answersQuestion: false })).result);
    }
    const shown = { label: item.label, text: item.messages.join(' / ') };
    alone.push({ item: shown, verdict: mostSerious(each) });
    withRecent.push({ item: shown, verdict: mostSerious(inContext) });
  }
  const misses = !process.argv.includes('--no-misses');
  console.log(formatMetrics(computeMetrics('each message alone', alone), { misses: false }));
  console.log('');
  console.log(formatMetrics(computeMetrics('with the recent messages before it (the gate)', withRecent), { misses }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
