import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorkerEncoder, localSentenceEncoder, MAX_ENCODED_CHARS } from '../../../services/safety/sentence-encoder';

/**
 * The encoder's thread handling, with stand-in workers (plain JavaScript). Each stand-in appends a
 * line to `starts` when its thread starts, so a test can count the threads.
 */
const HEAD = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
fs.appendFileSync(workerData.starts, 'x');
const threadNumber = fs.readFileSync(workerData.starts, 'utf8').length;
`;
/** Answers each text with a vector of its length (and the thread's number). */
const ECHO = `${HEAD}
parentPort.on('message', ({ id, texts }) => parentPort.postMessage({ id, vectors: texts.map((t) => Float32Array.of(t.length, threadNumber)) }));
`;
/** The first thread never answers; later ones echo. */
const HANGS_FIRST = `${HEAD}
parentPort.on('message', ({ id, texts }) => {
  if (threadNumber > 1) parentPort.postMessage({ id, vectors: texts.map((t) => Float32Array.of(t.length, threadNumber)) });
});
`;
/** Cannot load its model: the thread ends at once. */
const CANNOT_LOAD = `${HEAD}
process.exit(1);
`;
/** Loads, but every encoding fails. */
const FAILS = `${HEAD}
parentPort.on('message', ({ id }) => parentPort.postMessage({ id, error: 'out of memory' }));
`;

describe('the sentence encoder thread', () => {
  let dir: string;
  let starts: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encoder-'));
    starts = path.join(dir, 'starts');
    fs.writeFileSync(starts, '');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const threads = () => fs.readFileSync(starts, 'utf8').length;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('answers in order, shares one thread, and caps what it is shown', async () => {
    const encoder = createWorkerEncoder({ source: ECHO, workerData: { starts } });
    expect(await encoder.embed([])).toEqual([]);
    const [a, b] = await Promise.all([encoder.embed(['one', 'three']), encoder.embed(['x'.repeat(MAX_ENCODED_CHARS + 50)])]);
    expect(a.map((v) => v[0])).toEqual([3, 5]);
    expect(b[0]![0]).toBe(MAX_ENCODED_CHARS);
    expect(threads()).toBe(1);
  });

  it('ends a thread that does not answer, fails at once for a while, then starts a new one', async () => {
    const encoder = createWorkerEncoder({ source: HANGS_FIRST, workerData: { starts }, answerLimitMs: 200, retryAfterMs: 600 });
    const started = Date.now();
    await expect(encoder.embed(['hello'])).rejects.toThrow(/gave no answer for 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(encoder.embed(['hello'])).rejects.toThrow(/unavailable/);
    expect(threads()).toBe(1);
    await sleep(700);
    expect((await encoder.embed(['hello']))[0]![1]).toBe(2);
  });

  it('refuses a burst it cannot keep up with, at once', async () => {
    const encoder = createWorkerEncoder({ source: HANGS_FIRST, workerData: { starts }, maxWaiting: 2, answerLimitMs: 300 });
    const waiting = [encoder.embed(['a']), encoder.embed(['b'])];
    await expect(encoder.embed(['c'])).rejects.toThrow(/busy \(2 requests waiting\)/);
    for (const request of waiting) await expect(request).rejects.toThrow(/gave no answer/);
  });

  it('a slow but answering thread is not ended while its queue drains', async () => {
    // answers each request 150 ms after the one before: the last of four waits 600 ms, past a 400 ms limit
    const SLOW = `${HEAD}
let busyUntil = Date.now();
parentPort.on('message', ({ id, texts }) => {
  busyUntil = Math.max(busyUntil, Date.now()) + 150;
  setTimeout(() => parentPort.postMessage({ id, vectors: texts.map((t) => Float32Array.of(t.length)) }), busyUntil - Date.now());
});`;
    const encoder = createWorkerEncoder({ source: SLOW, workerData: { starts }, answerLimitMs: 400 });
    const answers = await Promise.all(['a', 'bb', 'ccc', 'dddd'].map((text) => encoder.embed([text])));
    expect(answers.map((a) => a[0]![0])).toEqual([1, 2, 3, 4]);
    expect(threads()).toBe(1);
  });

  it('a thread that cannot load fails what it was asked, and is not started again at once', async () => {
    const encoder = createWorkerEncoder({ source: CANNOT_LOAD, workerData: { starts }, retryAfterMs: 60_000 });
    await expect(encoder.embed(['hello'])).rejects.toThrow(/stopped \(exit code 1\)/);
    await expect(encoder.embed(['hello'])).rejects.toThrow(/unavailable/);
    expect(threads()).toBe(1);
  });

  it('an encoding that fails rejects that request only', async () => {
    const encoder = createWorkerEncoder({ source: FAILS, workerData: { starts } });
    await expect(encoder.embed(['hello'])).rejects.toThrow(/the sentence encoder failed: out of memory/);
    await expect(encoder.embed(['again'])).rejects.toThrow(/out of memory/);
    expect(threads()).toBe(1);
  });

  it('ends a thread left idle, and starts a new one when asked again', async () => {
    const encoder = createWorkerEncoder({ source: ECHO, workerData: { starts }, idleMs: 100 });
    expect((await encoder.embed(['a']))[0]![1]).toBe(1);
    await sleep(400);
    expect((await encoder.embed(['a']))[0]![1]).toBe(2);
  });
});

describe('the shipped encoder', () => {
  it('gives 512 numbers for a message, the same for the same text alone or in a batch', async () => {
    const encoder = localSentenceEncoder();
    const [alone] = await encoder.embed(['an invented message about my new flat']);
    const [first, second] = await encoder.embed(['an invented message about my new flat', 'and another, longer one about college and the bus']);
    expect(alone).toHaveLength(512);
    expect(second).toHaveLength(512);
    // different texts, different vectors
    expect(Array.from(second!).some((value, i) => Math.abs(value - first![i]!) > 1e-3)).toBe(true);
    Array.from(alone!).forEach((value, i) => expect(value).toBeCloseTo(first![i]!, 5));
  }, 30_000);
});
