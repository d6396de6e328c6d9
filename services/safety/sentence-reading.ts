import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../project-root';
import { softmaxProbabilities, type DenseModel } from './dense-logistic';
import { SENTENCE_ENCODER_ID, type SentenceEncoder } from './sentence-encoder';
import type { ClassifierSettings, TrainingExample, TrainingLabel } from './schema';
import type { Severity } from './types';

/**
 * The sentence reading: a logistic regression over sentence-encoder vectors of the moderated
 * training examples, asked only whether a message is urgent. The classifier reads words and word
 * pairs; the encoder was trained on a great deal of English, so it places "a month's supply all at
 * once" near "took all my tablets" without either phrase in the training data. It is the screen's
 * third reading (pipeline.ts), and it may only raise to urgent.
 *
 * Encoding every training example takes minutes, so the model is trained by
 * `npm run safety:sentence-reading` (scripts/train-sentence-reading.ts) and kept in
 * services/safety/sentence-reading.json with a digest of the examples it was trained on; a test
 * fails when the training data has changed since.
 */
export const SENTENCE_READING_FILE = path.join(projectRoot, 'services', 'safety', 'sentence-reading.json');

export const READING_LABELS: readonly TrainingLabel[] = ['benign', 'concern', 'safeguarding', 'urgent'];
const URGENT = READING_LABELS.indexOf('urgent');
const BENIGN = READING_LABELS.indexOf('benign');

const readingFileSchema = z.strictObject({
  encoder: z.string(),
  trainingDigest: z.string().regex(/^[0-9a-f]{64}$/),
  labels: z.array(z.string()).refine((labels) => labels.join() === READING_LABELS.join(), `labels must be ${READING_LABELS.join(', ')}`),
  bias: z.array(z.number()).length(READING_LABELS.length),
  weights: z.array(z.array(z.number()).min(1)).length(READING_LABELS.length),
});

export interface TrainedSentenceReading {
  encoder: string;
  /** trainingDigest() of the examples it was trained on. */
  trainingDigest: string;
  model: DenseModel;
}

export class SentenceReadingFileError extends Error {
  constructor(file: string, problem: string) {
    super(`The sentence reading model is invalid: ${file}: ${problem}`);
    this.name = 'SentenceReadingFileError';
  }
}

/** A fingerprint of the training examples (labels and texts, in order). */
export function trainingDigest(examples: readonly Pick<TrainingExample, 'label' | 'text'>[]): string {
  const hash = crypto.createHash('sha256');
  for (const example of examples) hash.update(`${example.label}\t${example.text}\n`);
  return hash.digest('hex');
}

/** Reads the trained model; null when there is none. A malformed file or another encoder's model throws. */
export function readSentenceReading(file: string = SENTENCE_READING_FILE): TrainedSentenceReading | null {
  if (!fs.existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SentenceReadingFileError(file, `not JSON (${(error as Error).message})`);
  }
  const parsed = readingFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new SentenceReadingFileError(file, parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  }
  const { encoder, bias, weights } = parsed.data;
  if (encoder !== SENTENCE_ENCODER_ID) throw new SentenceReadingFileError(file, `made with ${encoder}, but the encoder is ${SENTENCE_ENCODER_ID}`);
  const dimensions = weights[0]!.length;
  if (weights.some((row) => row.length !== dimensions)) throw new SentenceReadingFileError(file, 'weight rows differ in length');
  return {
    encoder,
    trainingDigest: parsed.data.trainingDigest,
    model: { weights: weights.flat(), bias, classes: READING_LABELS.length, dimensions },
  };
}

/** The file's content for a trained model (weights rounded to 6 significant digits). */
export function sentenceReadingFileText(trained: TrainedSentenceReading): string {
  const { model } = trained;
  const round = (value: number) => Number(value.toPrecision(6));
  const rows = READING_LABELS.map((_, c) => model.weights.slice(c * model.dimensions, (c + 1) * model.dimensions).map(round));
  return `${JSON.stringify({
    encoder: trained.encoder,
    trainingDigest: trained.trainingDigest,
    labels: READING_LABELS,
    bias: model.bias.map(round),
    weights: rows,
  })}\n`;
}

/** What the reading makes of a message: the probabilities that it is urgent, and that it is benign. */
export interface ReadingProbabilities {
  urgent: number;
  benign: number;
}

export function readingProbabilitiesOf(model: DenseModel, vector: ArrayLike<number>): ReadingProbabilities {
  const p = softmaxProbabilities(model, vector);
  return { urgent: p[URGENT]!, benign: p[BENIGN]! };
}

export interface SentenceReading {
  /** Rejects when the encoder fails. */
  read(text: string): Promise<ReadingProbabilities>;
}

export function createSentenceReading(trained: TrainedSentenceReading, encoder: SentenceEncoder): SentenceReading {
  return {
    async read(text) {
      const [vector] = await encoder.embed([text]);
      if (!vector || vector.length !== trained.model.dimensions) throw new Error('the sentence encoder gave no vector of the expected size');
      return readingProbabilitiesOf(trained.model, vector);
    },
  };
}

export type SentenceReadingSettings = NonNullable<ClassifierSettings['sentenceReading']>;

/** Words of a normalised message (clause marks are not words). */
export function wordCount(normalised: string): number {
  let count = 0;
  for (const token of normalised.split(' ')) if (token.length > 0 && token !== '.') count++;
  return count;
}

/**
 * Whether a message is read again: not urgent yet, long enough to be a sentence, and the
 * classifier leans towards urgent. One- and two-word replies ("yes please", "thank you") are most
 * of a chat's turns, score near the classifier's prior, and give the encoder nothing to read.
 */
export function consultsSentenceReading(severity: Severity, classifierUrgentScore: number, normalised: string, settings: SentenceReadingSettings): boolean {
  return severity !== 'urgent' && classifierUrgentScore >= settings.consultFrom && wordCount(normalised) >= settings.minWords;
}

/** Whether the reading's probability raises the message to urgent. */
export function sentenceReadingRaises(urgentProbability: number, settings: SentenceReadingSettings): boolean {
  return urgentProbability >= settings.raiseAt;
}
