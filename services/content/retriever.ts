import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import MiniSearch, { type SearchResult } from 'minisearch';
import type { ContentCatalog } from './catalog';
import { plainText } from './readability';
import type { Entitlement, Guide, Notice, Signposting } from './schemas';
import { synonyms as defaultSynonyms } from './synonyms';

/** What free-text questions are answered from: published care-leaver content that stands alone. */
export type AnswerItem = Entitlement | Guide | Signposting | Notice;
export const answerKinds = ['entitlement', 'guide', 'signposting', 'notice'] as const;

export interface ContentDocumentMetadata {
  id: string;
  kind: AnswerItem['kind'];
  title: string;
  score: number;
}

export interface ScoredItem {
  item: AnswerItem;
  score: number;
}

export interface ContentRetrieverInput extends BaseRetrieverInput {
  catalog: ContentCatalog;
  /** Most documents returned. */
  k?: number;
  /** Below this score a match is not good enough to show ("no good match"). */
  minScore?: number;
  synonyms?: Readonly<Record<string, string>>;
}

/** Tuned on the development questions only (test/eval/questions.jsonl). */
export const defaultMinScore = 7;

const stopWords = new Set(
  `a about above after again am an and any are as at be been being but by can cant could did do does doing dont
  for from get gets getting got had has have having he her here hers how i id if im in into is isnt it its ive
  just like me mine my myself no not now of on once only or our out please so some still than that thats the
  their them then there these they this those to too u ur very wanna gonna was we were what whats when where
  which while who whos why will with wont would you your youre yours yeah ok okay hi hey pls plz tho cos
  cuz bout innit thing things stuff even really need want know`.split(/\s+/),
);

/** Lower-case, drop filler words, and fold plurals so "bursaries" finds "bursary". */
export function normaliseTerm(term: string): string | null {
  const word = term.toLowerCase().replace(/['’]/g, '');
  if (word.length < 2 || stopWords.has(word)) return null;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * MiniSearch (BM25 with fuzzy and prefix matching) over the catalog's published care-leaver
 * content, wrapped as a LangChain retriever. Slang and abbreviations are widened through a synonym
 * list; anything scoring under `minScore` is left out, so an empty result means "no good match".
 * Items that pass their review-by date drop out at query time.
 */
export class ContentRetriever extends BaseRetriever<ContentDocumentMetadata> {
  lc_namespace = ['tribe', 'content', 'retriever'];

  static override lc_name(): string {
    return 'ContentRetriever';
  }

  private readonly catalog: ContentCatalog;
  private readonly k: number;
  private readonly minScore: number;
  private readonly synonyms: Readonly<Record<string, string>>;
  private readonly index: MiniSearch<{ id: string; title: string; keywords: string; body: string }>;

  constructor(fields: ContentRetrieverInput) {
    super(fields);
    this.catalog = fields.catalog;
    this.k = fields.k ?? 4;
    this.minScore = fields.minScore ?? defaultMinScore;
    this.synonyms = fields.synonyms ?? defaultSynonyms;
    this.index = new MiniSearch({
      fields: ['title', 'keywords', 'body'],
      processTerm: normaliseTerm,
      searchOptions: {
        boost: { title: 2, keywords: 2 },
        // Short words neither fuzz nor grow: "tall" must not find "talk", nor "pa" find "pathway".
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        maxFuzzy: 2,
        prefix: (term) => term.length >= 4,
        combineWith: 'OR',
      },
    });
    this.index.addAll(
      answerKinds
        .flatMap((kind) => this.catalog.list(kind))
        .filter((item) => item.audience.includes('care-leaver'))
        .map((item) => ({ id: item.id, title: item.title, keywords: item.keywords.join(' '), body: plainText(item.body) })),
    );
  }

  /** Best matches first, each servable today and scoring at least `minScore`. */
  search(question: string): ScoredItem[] {
    const asked = question.split(/[\s\p{P}]+/u).map(normaliseTerm).filter((term): term is string => term !== null);
    if (asked.length === 0) return [];
    const widened = asked.flatMap((term) => (this.synonyms[term] ?? '').split(' ')).filter(Boolean);
    const original = new Set(asked);
    const results: SearchResult[] = this.index.search([...asked, ...widened].join(' '), {
      boostTerm: (term) => (original.has(term) ? 1 : 0.5),
    });
    const found: ScoredItem[] = [];
    for (const result of results) {
      if (result.score < this.minScore || found.length >= this.k) break;
      const item = this.itemFor(String(result.id));
      if (item) found.push({ item, score: result.score });
    }
    return found;
  }

  /** The servable item behind a retrieved id, or undefined once it has expired. */
  itemFor(id: string): AnswerItem | undefined {
    const item = this.catalog.get(id);
    return item && (answerKinds as readonly string[]).includes(item.kind) ? (item as AnswerItem) : undefined;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<ContentDocumentMetadata>[]> {
    return this.search(query).map(
      ({ item, score }) =>
        new Document({ pageContent: item.body, metadata: { id: item.id, kind: item.kind, title: item.title, score } }),
    );
  }
}
