import path from 'node:path';
import { Answerer } from '../../../services/content/answer';
import { ContentCatalog } from '../../../services/content/catalog';
import { accuracy, evaluateAnswers, readQuestions } from '../../../services/content/evaluate';
import { ContentRetriever } from '../../../services/content/retriever';

/**
 * A regression guard for `npm run eval:answers`: questions written the way young people write,
 * each labelled with the content id that should answer it. The holdout set was never used for
 * tuning; this only checks that what ships keeps both sets at 90% or better.
 */
const evalDir = path.join(__dirname, '../../eval');

describe('answering young people’s questions (top-1)', () => {
  const answerer = new Answerer({ retriever: new ContentRetriever({ catalog: ContentCatalog.load() }) });

  it.each([['questions.jsonl', 80], ['questions-holdout.jsonl', 25]])('%s: at least 90% answered correctly', async (file, atLeast) => {
    const questions = readQuestions(path.join(evalDir, file));
    expect(questions.length).toBeGreaterThanOrEqual(atLeast);
    const { answerable } = await evaluateAnswers(answerer, questions);
    expect(accuracy(answerable)).toBeGreaterThanOrEqual(0.9);
  });

  it('labels only content that exists and is published', () => {
    const catalog = ContentCatalog.load();
    const labels = ['questions.jsonl', 'questions-holdout.jsonl']
      .flatMap((file) => readQuestions(path.join(evalDir, file)))
      .map((question) => question.expected)
      .filter((id): id is string => id !== null);
    expect(labels.filter((id) => !catalog.get(id))).toEqual([]);
  });
});
