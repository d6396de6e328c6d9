import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { Answerer, formatAnswer } from '../../../services/content/answer';
import { ContentCatalog } from '../../../services/content/catalog';
import { ContentRetriever } from '../../../services/content/retriever';

const validDir = path.join(__dirname, '../../fixtures/content/valid');

function catalogAt(date: string) {
  let now = new Date(`${date}T12:00:00Z`);
  const clock = { now: () => now };
  return { catalog: ContentCatalog.load(validDir, { clock }), setDate: (next: string) => (now = new Date(`${next}T12:00:00Z`)) };
}

/** The fixture corpus is tiny, so its scores are small: a low bar keeps two candidates in play. */
function fixtureRetriever() {
  return new ContentRetriever({ catalog: catalogAt('2026-11-23').catalog, minScore: 0.5 });
}

const question = 'apprentice money or a flat';

describe('ContentRetriever: minisearch as a LangChain retriever', () => {
  it('is a BaseRetriever returning Documents, best first, with id, kind, title and score', async () => {
    const retriever = fixtureRetriever();
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const docs = await retriever.invoke('how much is the bursery for apprentices');
    expect(docs[0]).toBeInstanceOf(Document);
    expect(docs[0]?.metadata).toMatchObject({ id: 'entitlement.test-bursary', kind: 'entitlement', title: 'Test bursary for apprentices' });
    expect(docs[0]?.pageContent).toMatch(/bursary of £3,000/);
  });

  it('matches misspellings (fuzzy), word starts (prefix) and slang (synonyms)', async () => {
    const retriever = fixtureRetriever();
    expect(retriever.search('renting a flaat')[0]?.item.id).toBe('guide.test-housing');
    expect(retriever.search('apprent')[0]?.item.id).toBe('entitlement.test-bursary');
    expect(retriever.search('somewhere to rent a gaff')[0]?.item.id).toBe('guide.test-housing');
  });

  it('finds nothing for questions it has no content for', async () => {
    expect(await fixtureRetriever().invoke('whats the weather like tomorrow')).toEqual([]);
    expect(await fixtureRetriever().invoke('   ')).toEqual([]);
  });

  it('stops returning an item once it passes its review-by date', () => {
    const { catalog, setDate } = catalogAt('2025-06-01');
    const retriever = new ContentRetriever({ catalog, minScore: 0.5 });
    expect(retriever.search('glasses').map((found) => found.item.id)).toEqual(['entitlement.expired']);
    setDate('2026-11-23');
    expect(retriever.search('glasses')).toEqual([]);
  });

  it('answers only from care-leaver content, never from templates or local offers', () => {
    const retriever = fixtureRetriever();
    expect(retriever.search('short-lived')).toEqual([]);
    expect(retriever.search('fictionshire leisure swimming')).toEqual([]);
  });
});

describe('Answerer', () => {
  it('answers with the best published item, as written', async () => {
    const answer = await new Answerer({ retriever: fixtureRetriever() }).answerQuestion('apprenticeship bursary');
    expect(answer).toMatchObject({ kind: 'answer', via: 'search', item: { id: 'entitlement.test-bursary' } });
  });

  it('says so when nothing matches well enough', async () => {
    const answer = await new Answerer({ retriever: fixtureRetriever() }).answerQuestion('who won the football');
    expect(answer).toEqual({ kind: 'no-match' });
  });

  describe('with a chat model, which may only choose among the retrieved items', () => {
    it('uses the model’s choice when it names a retrieved id', async () => {
      const model = new FakeListChatModel({ responses: ['{"id":"guide.test-housing"}'] });
      const answer = await new Answerer({ retriever: fixtureRetriever(), model }).answerQuestion(question);
      expect(answer).toMatchObject({ kind: 'answer', via: 'model', item: { id: 'guide.test-housing' } });
    });

    it('treats {"id": null} as "none of these answer it"', async () => {
      const model = new FakeListChatModel({ responses: ['{"id":null}'] });
      expect(await new Answerer({ retriever: fixtureRetriever(), model }).answerQuestion(question)).toEqual({ kind: 'no-match' });
    });

    it.each([
      ['prose instead of JSON', 'You should ask your PA about money for a flat!'],
      ['JSON in a code fence', '```json\n{"id":"guide.test-housing"}\n```'],
      ['extra keys', '{"id":"guide.test-housing","answer":"Ask your landlord."}'],
      ['an id that was not retrieved', '{"id":"notice.test-privacy"}'],
      ['an expired id', '{"id":"entitlement.expired"}'],
    ])('falls back to the search ranking on %s, never showing the model’s words', async (_case, reply) => {
      const warnings: unknown[] = [];
      const logger = { info: jest.fn(), warn: (...args: unknown[]) => warnings.push(args) };
      const model = new FakeListChatModel({ responses: [reply] });
      const answer = await new Answerer({ retriever: fixtureRetriever(), model, logger }).answerQuestion(question);
      expect(answer).toMatchObject({ kind: 'answer', via: 'search', item: { id: 'entitlement.test-bursary' } });
      expect(JSON.stringify(answer)).not.toContain('landlord.');
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toContain(question);
    });

    it('falls back when the model is too slow', async () => {
      const model = new FakeListChatModel({ responses: ['{"id":"guide.test-housing"}'], sleep: 1000 });
      const started = Date.now();
      const answer = await new Answerer({ retriever: fixtureRetriever(), model, modelTimeoutMs: 30 }).answerQuestion(question);
      expect(answer).toMatchObject({ kind: 'answer', via: 'search', item: { id: 'entitlement.test-bursary' } });
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('falls back when the model fails', async () => {
      const model = new FakeStreamingChatModel({ thrownErrorString: 'model unavailable' });
      const answer = await new Answerer({ retriever: fixtureRetriever(), model }).answerQuestion(question);
      expect(answer).toMatchObject({ kind: 'answer', via: 'search', item: { id: 'entitlement.test-bursary' } });
    });

    it('is not asked when nothing was retrieved', async () => {
      const model = new FakeListChatModel({ responses: ['{"id":"guide.test-housing"}'] });
      const invoke = jest.spyOn(model, 'invoke');
      expect(await new Answerer({ retriever: fixtureRetriever(), model }).answerQuestion('who won the football')).toEqual({ kind: 'no-match' });
      expect(invoke).not.toHaveBeenCalled();
    });
  });
});

describe('formatAnswer', () => {
  it('shows the item as written, with its title and where the facts come from', async () => {
    const catalog = ContentCatalog.load();
    const answer = await new Answerer({ retriever: new ContentRetriever({ catalog }) }).answerQuestion(
      'apprentiship bursary how much',
    );
    if (answer.kind !== 'answer') throw new Error('expected an answer');
    const text = formatAnswer(catalog, answer.item);
    expect(text.startsWith(`**${answer.item.title}**\n\n${answer.item.body}\n\n`)).toBe(true);
    expect(text).toMatch(/Where this comes from: \[GOV\.UK: Apprenticeships care leavers' bursary guidance[^\]]*\]\(https:\/\/www\.gov\.uk\//);
  });
});
