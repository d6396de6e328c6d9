import fs from 'node:fs';
import { z } from 'zod';
import type { Answerer } from './answer';

/**
 * Measures question answering against a labelled set: one JSON object a line,
 * `{"text": "...", "expected": "<content id>" | null}`, where null means Tribe should say it has
 * no good answer.
 */

const labelledQuestionSchema = z.strictObject({ text: z.string().min(1), expected: z.string().min(1).nullable() });
export type LabelledQuestion = z.infer<typeof labelledQuestionSchema>;

export interface Miss {
  text: string;
  expected: string | null;
  got: string | null;
}

export interface Evaluation {
  answerable: { correct: number; total: number };
  outOfScope: { correct: number; total: number };
  misses: Miss[];
}

export function readQuestions(file: string): LabelledQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = labelledQuestionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
}

export async function evaluateAnswers(answerer: Answerer, questions: readonly LabelledQuestion[]): Promise<Evaluation> {
  const evaluation: Evaluation = { answerable: { correct: 0, total: 0 }, outOfScope: { correct: 0, total: 0 }, misses: [] };
  for (const { text, expected } of questions) {
    const answer = await answerer.answerQuestion(text);
    const got = answer.kind === 'answer' ? answer.item.id : null;
    const tally = expected === null ? evaluation.outOfScope : evaluation.answerable;
    tally.total += 1;
    if (got === expected) tally.correct += 1;
    else evaluation.misses.push({ text, expected, got });
  }
  return evaluation;
}

export function accuracy({ correct, total }: { correct: number; total: number }): number {
  return total === 0 ? 1 : correct / total;
}
