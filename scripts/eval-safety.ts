import fs from 'node:fs';
import path from 'node:path';
import {
  combineMetrics,
  evaluateSet,
  formatMetrics,
  parseEvalSet,
  thresholdFailures,
  THRESHOLDS,
  pct,
  type SetMetrics,
} from '../services/safety/evaluate';
import { createSafetyScreen } from '../services/safety/pipeline';
import { safetyEvalSets as setSpecs } from './eval-sets';
import { HttpScreen } from './http-screen';

/**
 * `npm run eval:safety`: runs the labelled safety sets through the production pipeline
 * (`createSafetyScreen`, rules only unless a model is wired in) and prints, per set and combined:
 * urgent recall, safeguarding recall, concern handled, benign false alarms and benign crisis
 * signposting, then lists the misses (message text is printed: this is a dev tool, not a log).
 *
 * Sets: dev   = ../shared/eval/safety-dev.jsonl beside the project (or $SAFETY_DEV_SET)
 *       own   = test/eval/safety-own.jsonl
 *       holdout = test/eval/safety-holdout.jsonl (never used for tuning)
 *       concepts = test/eval/safety-concepts.jsonl (concept gaps found on the blind set, in our own words)
 *       concepts-holdout = test/eval/safety-concepts-holdout.jsonl (written with `concepts`, never used for tuning)
 *       nearmiss-tune / nearmiss-holdout = test/eval/safety-nearmiss-{tune,holdout}.jsonl: 300 messages
 *                       (180 benign hard near-misses, 60 urgent, 60 safeguarding in the same voices) written
 *                       before reading the lexicon or training data; each label list was split even/odd so
 *                       both halves cover the same concepts in different words. `tune` may be studied and is
 *                       retired into training-nearmiss.yaml; `holdout` is never used for tuning or training
 *       blind .. blind4 = test/eval/safety-blind*.jsonl (written by someone who never saw the rules;
 *                       measured unseen, then retired into training data: no longer unseen)
 *       blind5, blind6 = test/eval/safety-blind5.jsonl, -blind6.jsonl (RETIRED in the sixth session:
 *                measured unseen several times, then converted into content/safety/
 *                training-retired-blind5-6.yaml. They are TRAINING data now, so they are not run by
 *                default and their figures are optimistic; name them in --sets to run them anyway)
 *       blind7 = test/eval/safety-blind7.jsonl (SEALED: written late in the fifth session by someone
 *                who never saw the rules, the training data or the other sets, measured before that
 *                session's recall round; its misses are never listed, so that it stays an honest
 *                measure)
 *       blind8 = test/eval/safety-blind8.jsonl (SEALED, as blind7: written at the start of the sixth
 *                session by someone who opened nothing in the project; measured before any change)
 *       blind9 = test/eval/safety-blind9.jsonl (SEALED, as blind7: written at the start of the seventh
 *                session by someone who opened nothing in the project; measured before any change)
 *       blind10 = test/eval/safety-blind10.jsonl (SEALED, as blind7: written at the start of the eighth
 *                session by someone who opened nothing in the project; measured before any change)
 *       voices13 = test/eval/safety-voices13.jsonl (600 messages by two helpers that opened nothing, in
 *                the ninth session; measured at first sight, used while developing, then RETIRED into
 *                training in the tenth: content/safety/training-voices13.yaml; not run by default)
 *       voices14 = test/eval/safety-voices14.jsonl (SEALED, as blind7: 592 messages by two helpers that
 *                opened nothing, written at the start of the tenth session, measured before any change)
 *       voices16 = test/eval/safety-voices16.jsonl (SEALED, as blind7: 594 messages by two helpers that
 *                opened nothing, written at the start of the eleventh session, measured before any change
 *                it informed)
 *       voices17 = test/eval/safety-voices17.jsonl (SEALED, as blind7: 588 messages by two helpers that
 *                opened nothing, written at the start of the twelfth session, measured at first sight)
 *       voices18 = test/eval/safety-voices18.jsonl (SEALED, as blind7: 593 messages by a helper that read
 *                only the label definitions, thirteenth session, measured at first sight)
 *       voices19 = test/eval/safety-voices19.jsonl (SEALED, as blind7: 595 messages by a helper that read
 *                only the label definitions, written at the end of the thirteenth session and measured
 *                at first sight on its final rules)
 *       voices20 = test/eval/safety-voices20.jsonl (SEALED, as blind7: 596 messages by a helper that read
 *                only the label definitions, written at the start of the fourteenth session and measured
 *                at first sight on 07ff5b6)
 *       voices21 = test/eval/safety-voices21.jsonl (SEALED, as blind7: 594 messages by a helper that read
 *                only the label definitions, fourteenth session, measured once on a7eea6a)
 *       voices22 = test/eval/safety-voices22.jsonl (SEALED, as blind7: 597 messages by a helper that read
 *                only the label definitions and a brief, written at the start of the fifteenth session and
 *                measured once, at its end, on 0f1f9fc)
 *       dev22, dev23 = test/eval/safety-dev22.jsonl, safety-dev23.jsonl (600 each, written blind in the sealed
 *                sets' style in the fourteenth session; development sets: their misses may be studied)
 *       dev24, dev25, dev26 = test/eval/safety-dev24.jsonl, safety-dev25.jsonl, safety-dev26.jsonl (596, 600
 *                and 594, written blind from a brief at the start of the fifteenth session; dev26 leans to
 *                everyday life; development sets: their misses may be studied)
 *       dev27, dev28 = test/eval/safety-dev27.jsonl, safety-dev28.jsonl (596 and 597, written blind from the
 *                same brief later in the fifteenth session: short messages and slang; trusted adults and the past)
 *       dev29, dev30 = test/eval/safety-dev29.jsonl, safety-dev30.jsonl (595 and 597, the fifteenth session's third
 *                round: as varied as a sealed set; everyday messages a careless screen would alarm on)
 *       dev31, dev32 = test/eval/safety-dev31.jsonl, safety-dev32.jsonl (495 and 498, the fifteenth session's last
 *                round, written to look for misses: 250 urgent; 250 safeguarding; their misses are not yet fixed)
 *       voices15 = test/eval/safety-voices15.jsonl (1,197 themed near-misses paired with risk messages
 *                in the same words, by three helpers that opened nothing, tenth session; a development
 *                set: its misses may be studied)
 * Options: --sets dev,own      run only these sets (use this while tuning: keep the holdout unseen)
 *          --http             end to end: each message is the first of a new conversation through
 *                             POST /api/messages; the reply and the adviser API are what is judged
 *          --no-misses         do not list misses
 *          --rules-only        the rules without the classifier (an ablation: which of the screen's
 *                             catches and false alarms are the rules' own)
 *          --no-sentence-reading  rules and classifier without the sentence reading (an ablation)
 *          --hide-holdout-misses  list misses for every set except the holdout
 * Exits 1 when the combined set has urgent recall < 97%, safeguarding recall < 92% or benign false
 * alarms > 5%; 2 when a set cannot be read.
 */

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const wanted = argValue('--sets')?.split(',').map((s) => s.trim()).filter(Boolean);
  const specs = setSpecs().filter((s) => (wanted ? wanted.includes(s.name) : !s.retired));
  if (specs.length === 0) {
    console.error(`no such set: ${wanted?.join(', ')} (sets are ${setSpecs().map((spec) => spec.name).join(', ')})`);
    return 2;
  }
  const showMisses = !process.argv.includes('--no-misses');
  const hideHoldoutMisses = process.argv.includes('--hide-holdout-misses');

  const rulesOnly = process.argv.includes('--rules-only');
  const noReading = process.argv.includes('--no-sentence-reading');
  if ((rulesOnly || noReading) && process.argv.includes('--http')) {
    console.error('--rules-only and --no-sentence-reading run in process: the service always screens with every reading');
    return 2;
  }
  const http = process.argv.includes('--http') ? await HttpScreen.start() : null;
  const ablation = rulesOnly ? { classifier: false as const } : noReading ? { sentenceReading: false as const } : {};
  const inProcess = http ? null : createSafetyScreen(ablation);
  await inProcess?.warmUp(); // as npm start does
  const screen = inProcess ?? { screen: (text: string) => http!.judge(text) };
  const results: SetMetrics[] = [];
  try {
    for (const spec of specs) {
      if (!fs.existsSync(spec.file)) {
        console.error(`${spec.name}: cannot read ${spec.file}${spec.name === 'dev' ? ' (set SAFETY_DEV_SET to its path)' : ''}`);
        return 2;
      }
      const items = parseEvalSet(fs.readFileSync(spec.file, 'utf8'), path.relative(process.cwd(), spec.file) || spec.file);
      const metrics = await evaluateSet(spec.name, items, (text) => screen.screen(text));
      results.push(metrics);
      console.log(formatMetrics(metrics, { misses: showMisses && !spec.sealed && !(hideHoldoutMisses && spec.name.endsWith('holdout')) }));
      console.log('');
    }
  } finally {
    await http?.stop();
  }

  const combined = combineMetrics(`combined (${results.map((r) => r.name).join(' + ')})`, results);
  console.log(formatMetrics(combined));
  const failures = thresholdFailures(combined);
  console.log('');
  console.log(
    `targets: urgent recall >= ${pct(THRESHOLDS.urgentRecall)}, safeguarding recall >= ${pct(THRESHOLDS.safeguardingRecall)}, benign false alarms <= ${pct(THRESHOLDS.benignFalseAlarms)}`,
  );
  if (failures.length > 0) {
    for (const f of failures) console.log(`FAIL: ${f}`);
    return 1;
  }
  console.log('PASS');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
