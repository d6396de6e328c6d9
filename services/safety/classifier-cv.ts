import { loadSafetyLexicon, type SafetyLexicon } from './load-lexicon';
import { severityFromOdds, trainSafetyClassifier, type LabelOdds } from './classifier';
import type { ClassifierSettings, TrainingExample, TrainingLabel } from './schema';
import { maxSeverity, severityRank, type Severity } from './types';

/**
 * k-fold cross-validation of the safety classifier on its moderated training data, and the
 * threshold search that picks `training.classifier.thresholds` (content/safety/training-gaps.yaml).
 *
 *   npx tsc -p tsconfig.build.json && node dist/services/safety/classifier-cv.js [--folds 10] [--search [--smoothing 0.25,0.5] [--prefix 0,5]]
 *
 * Folds are stratified by label and drawn with a fixed seed, so the figures are reproducible. Each
 * example is scored by a model that never saw it (out-of-fold). Reported, for the classifier alone
 * and for the screen (max of rules and classifier): urgent recall (urgent), safeguarding recall
 * (high or above), concern handled (medium or above), benign false alarms (medium or above) and
 * benign crisis signposting (urgent).
 *
 * With --search, it also tries smoothing and prefix settings and picks thresholds that maximise
 * 3 x urgent + 2 x safeguarding + 1 x concern recall of the classifier alone (out-of-fold), subject
 * to: the screen's benign false alarms <= 4% and the classifier's benign urgent <= 2%.
 *
 * The rules were written against these same examples, so the screen's figures are optimistic;
 * the classifier-alone figures are the honest estimate of what the model adds on unseen wording.
 * (The rules' result for each example is the same in every fold: the rules are not refit.)
 */

export interface OutOfFold {
  example: TrainingExample;
  odds: LabelOdds;
  rules: Severity;
}

export interface CvFigures {
  urgentRecall: number;
  safeguardingRecall: number;
  concernHandled: number;
  benignFalseAlarms: number;
  benignUrgent: number;
  counts: Record<TrainingLabel, number>;
}

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stratified fold number for each example. */
export function assignFolds(examples: readonly TrainingExample[], folds: number, seed = 20260520): number[] {
  const rand = random(seed);
  const out = new Array<number>(examples.length).fill(0);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  for (const label of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(label)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((exampleIndex, k) => {
      out[exampleIndex] = k % folds;
    });
  }
  return out;
}

export function outOfFold(
  lexicon: SafetyLexicon,
  examples: readonly TrainingExample[],
  settings: ClassifierSettings,
  folds: number,
): OutOfFold[] {
  const fold = assignFolds(examples, folds);
  const result: OutOfFold[] = new Array(examples.length);
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const model = trainSafetyClassifier(train, lexicon.normalise, settings);
    examples.forEach((example, i) => {
      if (fold[i] !== f) return;
      const normalised = lexicon.normalise(example.text);
      result[i] = { example, odds: model.score(normalised), rules: lexicon.rules.classify(normalised).severity };
    });
  }
  return result;
}

export function figures(oof: readonly OutOfFold[], thresholds: ClassifierSettings['thresholds'], withRules: boolean): CvFigures {
  const hit = { urgent: 0, safeguarding: 0, concern: 0, benign: 0 };
  const counts = { urgent: 0, safeguarding: 0, concern: 0, benign: 0 };
  let benignUrgent = 0;
  for (const o of oof) {
    const model = severityFromOdds(o.odds, thresholds);
    const severity = withRules ? maxSeverity(model, o.rules) : model;
    const rank = severityRank(severity);
    const label = o.example.label;
    counts[label]++;
    if (label === 'urgent' && rank >= 3) hit.urgent++;
    if (label === 'safeguarding' && rank >= 2) hit.safeguarding++;
    if (label === 'concern' && rank >= 1) hit.concern++;
    if (label === 'benign' && rank >= 1) hit.benign++;
    if (label === 'benign' && rank >= 3) benignUrgent++;
  }
  const r = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    urgentRecall: r(hit.urgent, counts.urgent),
    safeguardingRecall: r(hit.safeguarding, counts.safeguarding),
    concernHandled: r(hit.concern, counts.concern),
    benignFalseAlarms: r(hit.benign, counts.benign),
    benignUrgent: r(benignUrgent, counts.benign),
    counts,
  };
}

/**
 * Limits for the search, on a benign set that is about half hard near-misses ("my boss will kill
 * me", razors for shaving), so stricter than everyday traffic: a point under the 5% false-alarm
 * target, and crisis signposting for at most 1 in 50 of those near-misses.
 */
export const MAX_CV_BENIGN_FALSE_ALARMS = 0.04;
export const MAX_CV_BENIGN_URGENT = 0.02;

/** Picks thresholds on out-of-fold odds (see the file comment for the objective and limits). */
export function searchThresholds(oof: readonly OutOfFold[]): { thresholds: ClassifierSettings['thresholds']; objective: number } {
  const grid: number[] = [];
  for (let t = -4; t <= 30; t += 1) grid.push(t);
  let best = { thresholds: { urgent: 30, safeguarding: 30, concern: 30 }, objective: -1 };
  for (const urgent of grid) {
    for (const safeguarding of grid) {
      if (safeguarding > urgent + 10) continue;
      for (const concern of grid) {
        const thresholds = { urgent, safeguarding, concern };
        const screen = figures(oof, thresholds, true);
        if (screen.benignFalseAlarms > MAX_CV_BENIGN_FALSE_ALARMS) continue;
        const alone = figures(oof, thresholds, false);
        if (alone.benignUrgent > MAX_CV_BENIGN_URGENT) continue;
        // ties go to the higher (more cautious about false alarms) thresholds: strict > on the way up
        const objective = 3 * alone.urgentRecall + 2 * alone.safeguardingRecall + alone.concernHandled;
        if (objective >= best.objective) best = { thresholds, objective };
      }
    }
  }
  return best;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
function show(name: string, f: CvFigures): string {
  return `${name.padEnd(26)} urgent ${pct(f.urgentRecall).padStart(6)}  safeguarding ${pct(f.safeguardingRecall).padStart(6)}  concern ${pct(f.concernHandled).padStart(6)}  benign false alarms ${pct(f.benignFalseAlarms).padStart(5)}  benign urgent ${pct(f.benignUrgent)}`;
}

function numberList(argv: readonly string[], flag: string, fallback: number[]): number[] {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1]!.split(',').map(Number) : fallback;
}

function main(): void {
  const argv = process.argv;
  const foldsArg = argv.indexOf('--folds');
  const folds = foldsArg >= 0 ? Number(argv[foldsArg + 1]) : 10;
  const lexicon = loadSafetyLexicon();
  if (!lexicon.training) throw new Error('no published safety-training files in content/safety');
  const { examples, settings } = lexicon.training;
  console.log(`safety classifier: ${folds}-fold stratified cross-validation over ${examples.length} training examples`);

  if (argv.includes('--search')) {
    for (const smoothing of numberList(argv, '--smoothing', [0.25, 0.5, 1])) {
      for (const prefixLength of numberList(argv, '--prefix', [0, 4, 5, 6])) {
        const trial = { ...settings, smoothing, prefixLength };
        const oof = outOfFold(lexicon, examples, trial, folds);
        const { thresholds, objective } = searchThresholds(oof);
        console.log(`smoothing ${smoothing} prefix ${prefixLength}: objective ${objective.toFixed(3)} thresholds ${JSON.stringify(thresholds)}`);
        console.log(`  ${show('classifier alone', figures(oof, thresholds, false))}`);
        console.log(`  ${show('rules + classifier', figures(oof, thresholds, true))}`);
      }
    }
    return;
  }
  const oof = outOfFold(lexicon, examples, settings, folds);
  const counts = figures(oof, settings.thresholds, false).counts;
  console.log(`  labels: urgent ${counts.urgent}, safeguarding ${counts.safeguarding}, concern ${counts.concern}, benign ${counts.benign}`);
  console.log(`  settings: ${JSON.stringify(settings)}`);
  console.log(`  ${show('rules alone', figures(oof, { urgent: Infinity, safeguarding: Infinity, concern: Infinity }, true))}`);
  console.log(`  ${show('classifier alone (CV)', figures(oof, settings.thresholds, false))}`);
  console.log(`  ${show('rules + classifier (CV)', figures(oof, settings.thresholds, true))}`);
  const best = searchThresholds(oof);
  console.log(`  thresholds the search would pick for these settings: ${JSON.stringify(best.thresholds)}`);
}

if (require.main === module) main();
