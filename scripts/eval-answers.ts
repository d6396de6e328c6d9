import path from 'node:path';
import { Answerer } from '../services/content/answer';
import { ContentCatalog } from '../services/content/catalog';
import { accuracy, type Evaluation, evaluateAnswers, readQuestions } from '../services/content/evaluate';
import { defaultContentDir } from '../services/content/loader';
import { ContentRetriever } from '../services/content/retriever';

/**
 * `npm run eval:answers`: top-1 accuracy of free-text answering on the development questions
 * (test/eval/questions.jsonl, used for tuning) and the held-out ones (questions-holdout.jsonl,
 * never used for tuning; their misses stay hidden unless --show-holdout-misses is given).
 * Exits 1 when either set's answerable accuracy is under 90%. While tuning, run with --dev-only.
 */

const target = 0.9;

async function main(): Promise<number> {
  const contentDir = defaultContentDir();
  const evalDir = path.join(path.dirname(contentDir), 'test', 'eval');
  const catalog = ContentCatalog.load(contentDir);
  const answerer = new Answerer({ retriever: new ContentRetriever({ catalog }) });

  const dev = await evaluateAnswers(answerer, readQuestions(path.join(evalDir, 'questions.jsonl')));
  report('development', dev, true);
  if (process.argv.includes('--dev-only')) return accuracy(dev.answerable) >= target ? 0 : 1;

  const holdout = await evaluateAnswers(answerer, readQuestions(path.join(evalDir, 'questions-holdout.jsonl')));
  report('holdout', holdout, process.argv.includes('--show-holdout-misses'));
  return accuracy(dev.answerable) >= target && accuracy(holdout.answerable) >= target ? 0 : 1;
}

function report(name: string, evaluation: Evaluation, showMisses: boolean): void {
  const { answerable, outOfScope } = evaluation;
  const all = { correct: answerable.correct + outOfScope.correct, total: answerable.total + outOfScope.total };
  console.log(`${name}:`);
  console.log(`  top-1 accuracy (answerable)  ${percent(answerable)}  ${answerable.correct}/${answerable.total}`);
  console.log(`  declined when out of scope   ${percent(outOfScope)}  ${outOfScope.correct}/${outOfScope.total}`);
  console.log(`  overall                      ${percent(all)}  ${all.correct}/${all.total}`);
  if (!showMisses) return;
  for (const miss of evaluation.misses) {
    console.log(`  miss: "${miss.text}"  expected ${miss.expected ?? '(no match)'}, got ${miss.got ?? '(no match)'}`);
  }
}

function percent(tally: { correct: number; total: number }): string {
  return `${(accuracy(tally) * 100).toFixed(1).padStart(5)}%`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
