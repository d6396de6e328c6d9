import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../services/project-root';
import { severityFromScores } from '../services/safety/classifier';
import { assignFolds, outOfFold, tally } from '../services/safety/classifier-cv';
import { softmaxProbabilities, trainDenseLogistic, type DenseModel } from '../services/safety/dense-logistic';
import { loadSafetyLexicon } from '../services/safety/load-lexicon';
import { classifierSureBenign } from '../services/safety/stand-down';
import type { TrainingExample, TrainingLabel } from '../services/safety/schema';
import { createWorkerEncoder, SENTENCE_ENCODER_ID } from '../services/safety/sentence-encoder';
import {
  consultsSentenceReading,
  READING_LABELS,
  SENTENCE_READING_FILE,
  sentenceReadingFileText,
  sentenceReadingRaises,
  trainingDigest,
  type SentenceReadingSettings,
} from '../services/safety/sentence-reading';
import { maxSeverity, needsAmbulance, type Severity } from '../services/safety/types';

/**
 * Trains the sentence reading (services/safety/sentence-reading.ts) from the moderated training
 * examples and writes services/safety/sentence-reading.json.
 *
 *   npm run safety:sentence-reading [-- --cv]
 *
 * Encoding about 10,000 examples takes about three minutes; the vectors are kept in
 * .tools/sentence-vectors/ (one file per text, named by its hash) so that a run after a small
 * change to the data encodes only the new examples. --cv also prints 10-fold cross-validated
 * figures of the whole screen (rules, classifier, stand-down, then the reading) for a grid of
 * settings, the same folds as classifier-cv.ts, to choose `training.classifier.sentenceReading`.
 */
const CACHE_DIR = path.join(projectRoot, '.tools', 'sentence-vectors');
const BATCH = 64;
/** Full-batch training: L2 on the mean log loss, enough Adam steps to reach the optimum within 0.5%. */
const TRAINING = { l2: 2.5e-5, iterations: 300, learningRate: 0.2 } as const;

function cacheFile(text: string): string {
  const hash = crypto.createHash('sha256').update(SENTENCE_ENCODER_ID).update('\0').update(text).digest('hex');
  return path.join(CACHE_DIR, `${hash}.f32`);
}

async function encodeAll(texts: readonly string[]): Promise<Float32Array[]> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const vectors: (Float32Array | undefined)[] = texts.map((text) => {
    const file = cacheFile(text);
    if (!fs.existsSync(file)) return undefined;
    const bytes = fs.readFileSync(file);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  });
  const missing = texts.map((_, i) => i).filter((i) => !vectors[i]);
  // a batch of 64 long texts (and the first load) can take longer than a served message may
  const encoder = createWorkerEncoder({ answerLimitMs: 300_000 });
  const started = Date.now();
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const encoded = await encoder.embed(batch.map((i) => texts[i]!));
    batch.forEach((i, k) => {
      const vector = Float32Array.from(encoded[k]!);
      vectors[i] = vector;
      fs.writeFileSync(cacheFile(texts[i]!), Buffer.from(vector.buffer));
    });
    process.stderr.write(`\rencoded ${Math.min(start + BATCH, missing.length)} of ${missing.length} new texts`);
  }
  if (missing.length > 0) process.stderr.write(` in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return vectors.map((v) => v!);
}

function train(examples: readonly TrainingExample[], vectors: readonly Float32Array[]): DenseModel {
  const labels = examples.map((e) => {
    const label = READING_LABELS.indexOf(e.label);
    if (label < 0) throw new Error(`unknown training label: ${e.label}`);
    return label;
  });
  return trainDenseLogistic(vectors, labels, READING_LABELS.length, TRAINING);
}

const SEVERITY_OF_LABEL: Record<TrainingLabel, Severity> = { benign: 'none', concern: 'medium', safeguarding: 'high', urgent: 'urgent' };

/** Cross-validated figures of the screen with and without the reading, for a grid of settings. */
async function crossValidate(examples: readonly TrainingExample[], vectors: readonly Float32Array[]): Promise<void> {
  const lexicon = loadSafetyLexicon();
  const settings = lexicon.training!.settings;
  const folds = 10;
  const fold = assignFolds(examples, folds);
  const probabilities = new Array<number[]>(examples.length);
  for (let f = 0; f < folds; f++) {
    const inFold = examples.map((_, i) => i).filter((i) => fold[i] !== f);
    const model = train(
      inFold.map((i) => examples[i]!),
      inFold.map((i) => vectors[i]!),
    );
    examples.forEach((_, i) => {
      if (fold[i] === f) probabilities[i] = softmaxProbabilities(model, vectors[i]!);
    });
    process.stderr.write(`\rcross-validating: fold ${f + 1} of ${folds}`);
  }
  process.stderr.write('\n');
  // For urgent rules results: is the fold's classifier sure the message is benign, at each odds tried?
  const ODDS = [6, 8, 10] as const;
  const window = settings.standDown?.window ?? 16;
  const sureBenign = new Map<number, Record<number, boolean>>();
  const medical = new Set<number>();
  const oof = outOfFold(lexicon, examples, settings, folds, (i, model, text, rules) => {
    if (rules.severity !== 'urgent') return;
    if (needsAmbulance(rules)) medical.add(i);
    sureBenign.set(i, Object.fromEntries(ODDS.map((odds) => [odds, classifierSureBenign(model, text, window, odds)])));
  });
  const normalised = examples.map((example) => lexicon.normalise(example.text));
  const urgent = READING_LABELS.indexOf('urgent');
  const benign = READING_LABELS.indexOf('benign');
  /** The encoder alone: its most likely label, as a severity. */
  const alone = (i: number): Severity => {
    const p = probabilities[i]!;
    const best = p.indexOf(Math.max(...p));
    return SEVERITY_OF_LABEL[READING_LABELS[best]!];
  };
  const row = (name: string, reading: SentenceReadingSettings | 'alone' | null) => {
    const standDown = reading && reading !== 'alone' ? reading.standDownUrgent : undefined;
    const f = tally(
      oof.map((o, i) => {
        let severity: Severity = reading === 'alone' ? alone(i) : maxSeverity(severityFromScores(o.scores, settings.thresholds), o.rules);
        // (a classifier-raised urgent is never sure-benign, so only the rules' own urgent can stand down)
        if (standDown && o.rules === 'urgent' && !medical.has(i) && sureBenign.get(i)?.[standDown.benignOdds] && probabilities[i]![benign]! >= standDown.benignAt) {
          severity = 'medium'; // an urgent stood down is a concern, never nothing
        }
        if (reading && reading !== 'alone' && consultsSentenceReading(severity, o.scores.urgent, normalised[i]!, reading) && sentenceReadingRaises(probabilities[i]![urgent]!, reading)) {
          severity = 'urgent';
        }
        return { label: o.example.label, severity };
      }),
    );
    const pct = (rate: number) => `${(100 * rate).toFixed(1).padStart(5)}%`;
    console.log(
      `  ${name.padEnd(44)} ${pct(f.urgentRecall)}  ${pct(f.safeguardingRecall)}  ${pct(f.concernHandled)}  ${pct(f.benignFalseAlarms)}  ${pct(f.benignUrgent)}`,
    );
  };
  console.log(`cross-validation (${folds} folds, ${examples.length} examples): the screen with the sentence reading`);
  console.log(`  ${'settings'.padEnd(44)} urgent  safeg.  concern  false alarms  benign urgent`);
  row('no sentence reading', null);
  for (const minWords of [1, 3]) {
    for (const consultFrom of [-8, -6, -4, -2]) {
      for (const raiseAt of [0.7, 0.8, 0.9]) row(`minWords ${minWords}, consultFrom ${consultFrom}, raiseAt ${raiseAt}`, { consultFrom, raiseAt, minWords });
    }
  }
  row('every message read, raiseAt 0.8', { consultFrom: -Infinity, raiseAt: 0.8, minWords: 1 });
  const chosen = { consultFrom: -4, raiseAt: 0.8, minWords: 3 };
  for (const benignOdds of ODDS) {
    for (const benignAt of [0.9, 0.95, 0.98]) row(`-4/0.8/3, urgent stands down at ${benignOdds}, ${benignAt}`, { ...chosen, standDownUrgent: { benignOdds, benignAt } });
  }
  row('the encoder alone (its most likely label)', 'alone');
  if (settings.sentenceReading) row('as set in training-gaps.yaml', settings.sentenceReading);
}

async function main(): Promise<void> {
  const lexicon = loadSafetyLexicon();
  if (!lexicon.training) throw new Error('content/safety has no training examples');
  const { examples } = lexicon.training;
  const vectors = await encodeAll(examples.map((e) => e.text));
  const started = Date.now();
  const model = train(examples, vectors);
  fs.writeFileSync(SENTENCE_READING_FILE, sentenceReadingFileText({ encoder: SENTENCE_ENCODER_ID, trainingDigest: trainingDigest(examples), model }));
  console.log(`trained on ${examples.length} examples in ${((Date.now() - started) / 1000).toFixed(0)} s: ${path.relative(projectRoot, SENTENCE_READING_FILE)}`);
  if (process.argv.includes('--cv')) await crossValidate(examples, vectors);
}

main().catch((error: unknown) => {
  console.error(`train-sentence-reading failed: ${(error as Error).message}`);
  process.exit(1);
});
