import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { Logger } from '../logging';
import type { ContentCatalog } from './catalog';
import type { AnswerItem, ContentRetriever } from './retriever';

/**
 * Answers a free-text question with published content, shown as written. An optional chat model
 * may only pick one of the retrieved items (or none); its own words are never shown, and when it
 * is slow, fails or replies with anything but the expected JSON, the search ranking stands.
 */

export type Answer =
  | { kind: 'answer'; item: AnswerItem; via: 'search' | 'model' }
  | { kind: 'no-match' };

export interface AnswererOptions {
  retriever: ContentRetriever;
  /** Any @langchain/core chat model; used only to choose among retrieved ids. */
  model?: BaseChatModel;
  /** How long the model may take before the search ranking is used instead. */
  modelTimeoutMs?: number;
  /** Receives outcomes only (ids, reasons), never the question. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

const modelChoiceSchema = z.strictObject({ id: z.string().nullable() });

const routingInstructions = [
  'You route a young person\'s question to one of the help articles listed.',
  'Reply with JSON only, exactly {"id":"<one of the ids>"}, or {"id":null} when none of them answers the question.',
  'Do not answer the question yourself.',
].join(' ');

export class Answerer {
  constructor(private readonly options: AnswererOptions) {}

  async answerQuestion(question: string): Promise<Answer> {
    const candidates = await this.options.retriever.invoke(question);
    const best = candidates[0];
    if (!best) return { kind: 'no-match' };

    let chosenId = best.metadata.id;
    let via: 'search' | 'model' = 'search';
    if (this.options.model) {
      const choice = await this.askModel(question, candidates.map((doc) => doc.metadata));
      if (choice === null) return { kind: 'no-match' };
      if (choice !== undefined) {
        chosenId = choice;
        via = 'model';
      }
    }

    const item = this.options.retriever.itemFor(chosenId);
    return item ? { kind: 'answer', item, via } : { kind: 'no-match' };
  }

  /** The model's pick: an id among the candidates, null for "none of them", undefined to fall back. */
  private async askModel(question: string, candidates: { id: string; title: string }[]): Promise<string | null | undefined> {
    const model = this.options.model!;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.modelTimeoutMs ?? 3000);
    });
    try {
      const reply = await Promise.race([
        model.invoke(
          [
            new SystemMessage(routingInstructions),
            new HumanMessage(
              `Question: ${question}\n\nArticles:\n${candidates.map((c) => `- ${c.id}: ${c.title}`).join('\n')}`,
            ),
          ],
          { signal: controller.signal },
        ),
        timeout,
      ]);
      if (reply === 'timeout') {
        controller.abort();
        return this.fallBack('timeout');
      }
      const parsed = modelChoiceSchema.safeParse(parseJson(typeof reply.content === 'string' ? reply.content : ''));
      if (!parsed.success) return this.fallBack('unparseable reply');
      const { id } = parsed.data;
      if (id !== null && !candidates.some((candidate) => candidate.id === id)) return this.fallBack('id not among candidates');
      this.options.logger?.info({ event: 'answer.model-choice', id }, 'model chose among retrieved content');
      return id;
    } catch {
      return this.fallBack('model error');
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack(reason: string): undefined {
    this.options.logger?.warn({ event: 'answer.model-fallback', reason }, 'using the search ranking');
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

/**
 * The reply for an answer: the item as written, its title, and where the facts come from
 * (the `answer.sources` template, with the sources as links).
 */
export function formatAnswer(catalog: ContentCatalog, item: AnswerItem): string {
  const parts = [`**${item.title}**`, item.body];
  if (item.sources.length > 0) {
    const sources = item.sources.map((source) => `[${source.title}](${source.url})`).join('; ');
    parts.push(catalog.render('answer.sources', { sources }));
  }
  return parts.join('\n\n');
}
