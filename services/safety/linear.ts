/**
 * The building blocks of the safety classifier (classifier.ts): hashed text features, a feature
 * table, naive Bayes log-count ratios and a multinomial logistic regression. All deterministic:
 * the same examples in the same order give the same weights, bit for bit.
 *
 * Features of a NORMALISED message (each present or absent, never counted):
 *   w:<word>           word unigrams
 *   b:<word> <word>    bigrams inside a clause (never across a " . " clause mark)
 *   p:<prefix>         the first `prefixLength` letters of longer words ("overdo" for
 *                      "overdosed", "overdosing")
 * and, when word clusters are given (`ClusterFeatures`, from services/safety/word-clusters.tsv),
 * for each word in the cluster table:
 *   c:<id>             its coarse cluster ("paracetamol" and "tylenol" share one with "tablets")
 *   f:<id>             its fine cluster
 *   cb:<id> <id>       the coarse clusters of it and the word before it, inside a clause (both known)
 * Each is a 32-bit FNV-1a hash of its name, computed while scanning the text, so the scoring path
 * makes no strings; `featureNames` gives the same features by name, in the same order.
 */

// ---------------------------------------------------------------- hashing

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;
const CLAUSE = 46; // '.'

function step(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME) >>> 0;
}
function stepString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return h;
}
/** Final avalanche (murmur3 fmix32); 0 is kept for an empty table slot. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h >>>= 0;
  return h === 0 ? 1 : h;
}

/** The hash of a feature name ("w:kill", "b:kill myself", "p:overdo"). */
export function hashFeatureName(name: string): number {
  return finish(stepString(FNV_OFFSET, name));
}

const WORD_SEED = stepString(FNV_OFFSET, 'w:');
const BIGRAM_SEED = stepString(FNV_OFFSET, 'b:');
const PREFIX_SEED = stepString(FNV_OFFSET, 'p:');

// ---------------------------------------------------------------- word clusters

/**
 * A table of word clusters (scripts/word-clusters.ts writes it): each word's fine cluster, and its
 * coarse cluster floor(fine / split). Words are keyed by the hash of their "w:" feature, so the
 * scoring path looks a word up without making a string.
 */
export class WordClusters {
  /** The words' hashes, each with its index into `fineByIndex`. */
  private readonly index: FeatureTable;
  private readonly fineByIndex: Int32Array;
  readonly words: number;
  readonly split: number;
  readonly fineCount: number;
  /** Per cluster id: the hashes of "c:<id>" and "f:<id>", the FNV state after "cb:<id> ", and "<id>". */
  readonly coarseHash: Uint32Array;
  readonly fineHash: Uint32Array;
  readonly bigramSeed: Uint32Array;
  readonly coarseName: readonly string[];

  /** Parses the table: '#' comment lines, one "# split<TAB>n" line, then "word<TAB>fine cluster" lines. */
  constructor(text: string) {
    const entries: [number, number][] = [];
    let split = 0;
    let fineCount = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const tab = line.indexOf('\t');
      if (line.startsWith('#')) {
        if (line.startsWith('# split\t')) split = Number(line.slice(tab + 1));
        continue;
      }
      const fine = Number(line.slice(tab + 1));
      if (tab <= 0 || !Number.isInteger(fine) || fine < 0) throw new Error(`word clusters: bad line "${line.slice(0, 40)}"`);
      entries.push([hashFeatureName(`w:${line.slice(0, tab)}`), fine]);
      if (fine >= fineCount) fineCount = fine + 1;
    }
    if (!Number.isInteger(split) || split < 1) throw new Error('word clusters: no "# split<TAB>n" line');
    const fineByHash = new Map<number, number>();
    // two words with one hash (about one pair in 100,000 words): neither gets a cluster
    for (const [h, fine] of entries) fineByHash.set(h, fineByHash.has(h) ? -1 : fine);
    this.index = new FeatureTable(Uint32Array.from(fineByHash.keys()));
    this.fineByIndex = Int32Array.from(fineByHash.values());
    this.words = entries.length;
    this.split = split;
    this.fineCount = fineCount;
    const coarseCount = Math.ceil(fineCount / split);
    this.coarseName = Array.from({ length: coarseCount }, (_, c) => String(c));
    this.coarseHash = Uint32Array.from(this.coarseName, (c) => hashFeatureName(`c:${c}`));
    this.bigramSeed = Uint32Array.from(this.coarseName, (c) => stepString(FNV_OFFSET, `cb:${c} `));
    this.fineHash = Uint32Array.from({ length: fineCount }, (_, f) => hashFeatureName(`f:${f}`));
  }

  /** The fine cluster of the word whose "w:" feature hash is `wordHash`, or -1. */
  fineOf(wordHash: number): number {
    const i = this.index.get(wordHash);
    return i < 0 ? -1 : this.fineByIndex[i]!;
  }
}

/** Which cluster features to add (training.classifier.clusters), and the table. */
export interface ClusterFeatures {
  table: WordClusters;
  coarse: boolean;
  fine: boolean;
  bigrams: boolean;
}

/** A growable list of hashes, reused between calls. */
export class HashBuffer {
  data = new Uint32Array(256);
  length = 0;
  push(h: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = h;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Writes the hashes of a normalised message's features into `out` (cleared first), in the order
 * of `featureNames`; duplicates are left in. Words are separated by spaces; "." is a clause mark.
 */
export function hashFeatures(text: string, prefixLength: number, out: HashBuffer, clusters: ClusterFeatures | null = null): void {
  out.length = 0;
  const n = text.length;
  let prevCoarse = -1;
  let prevStart = -1;
  let prevEnd = -1;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && text.charCodeAt(i) !== SPACE) continue;
    if (i > start) {
      if (i - start === 1 && text.charCodeAt(start) === CLAUSE) {
        prevStart = -1;
        prevCoarse = -1;
      } else {
        let h = WORD_SEED;
        for (let j = start; j < i; j++) h = step(h, text.charCodeAt(j));
        const wordHash = finish(h);
        out.push(wordHash);
        if (prevStart >= 0) {
          let b = BIGRAM_SEED;
          for (let j = prevStart; j < prevEnd; j++) b = step(b, text.charCodeAt(j));
          b = step(b, SPACE);
          for (let j = start; j < i; j++) b = step(b, text.charCodeAt(j));
          out.push(finish(b));
        }
        if (prefixLength > 0 && i - start > prefixLength) {
          let p = PREFIX_SEED;
          for (let j = start; j < start + prefixLength; j++) p = step(p, text.charCodeAt(j));
          out.push(finish(p));
        }
        if (clusters !== null) {
          const table = clusters.table;
          const fine = table.fineOf(wordHash);
          let coarse = -1;
          if (fine >= 0) {
            coarse = (fine / table.split) | 0;
            if (clusters.coarse) out.push(table.coarseHash[coarse]!);
            if (clusters.fine) out.push(table.fineHash[fine]!);
            if (clusters.bigrams && prevCoarse >= 0) out.push(finish(stepString(table.bigramSeed[prevCoarse]!, table.coarseName[coarse]!)));
          }
          prevCoarse = coarse;
        }
        prevStart = start;
        prevEnd = i;
      }
    }
    start = i + 1;
  }
}

/** The same features by name, in the same order as `hashFeatures` (for tests and inspection). */
export function featureNames(text: string, prefixLength: number, clusters: ClusterFeatures | null = null): string[] {
  const out: string[] = [];
  let previous = '';
  let prevCoarse = -1;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (word === '.') {
      previous = '';
      prevCoarse = -1;
      continue;
    }
    out.push(`w:${word}`);
    if (previous !== '') out.push(`b:${previous} ${word}`);
    if (prefixLength > 0 && word.length > prefixLength) out.push(`p:${word.slice(0, prefixLength)}`);
    if (clusters !== null) {
      const fine = clusters.table.fineOf(hashFeatureName(`w:${word}`));
      const coarse = fine >= 0 ? Math.floor(fine / clusters.table.split) : -1;
      if (fine >= 0) {
        if (clusters.coarse) out.push(`c:${coarse}`);
        if (clusters.fine) out.push(`f:${fine}`);
        if (clusters.bigrams && prevCoarse >= 0) out.push(`cb:${prevCoarse} ${coarse}`);
      }
      prevCoarse = coarse;
    }
    previous = word;
  }
  return out;
}

// ---------------------------------------------------------------- the feature table

/** Open-addressing map from a feature hash to its dense index (0 … size-1). */
export class FeatureTable {
  private readonly keys: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  readonly size: number;

  /** `hashes`: distinct, non-zero; the index of each is its position. */
  constructor(hashes: ArrayLike<number>) {
    let capacity = 16;
    while (capacity < hashes.length * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = hashes.length;
    for (let index = 0; index < hashes.length; index++) {
      const h = hashes[index]!;
      let slot = h & this.mask;
      while (this.keys[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = h;
      this.values[slot] = index;
    }
  }

  /** The dense index of a hash, or -1 when it was never seen in training. */
  get(h: number): number {
    let slot = h & this.mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === h) return this.values[slot]!;
      if (k === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * Indexes a training set: the table of every feature seen (indices in hash order, so they do not
 * depend on the order of the examples) and each example's distinct feature indices, sorted.
 */
export function indexExamples(hashes: readonly ArrayLike<number>[]): { table: FeatureTable; rows: Int32Array[] } {
  const all = new Set<number>();
  for (const list of hashes) for (let i = 0; i < list.length; i++) all.add(list[i]!);
  const sorted = Uint32Array.from(all).sort();
  const table = new FeatureTable(sorted);
  const rows = hashes.map((list) => {
    const set = new Set<number>();
    for (let i = 0; i < list.length; i++) set.add(table.get(list[i]!));
    return Int32Array.from(set).sort();
  });
  return { table, rows };
}

// ---------------------------------------------------------------- naive Bayes

/**
 * One-vs-rest naive Bayes over binarised features (each feature counted once per example), in
 * log2: for each class c, w(f, c) = log2 P(f | c) - log2 P(f | not c), with additive smoothing,
 * and prior(c) = log2 n(c) - log2 n(not c). The log2 odds of class c for a message are the prior
 * plus the sum of w over its features. A feature never seen with any example of `rows` weighs 0.
 * Returns weights[index * classes + c] and the priors; a class with no examples gets weight 0 and
 * prior -Infinity.
 */
export function naiveBayesWeights(
  rows: readonly Int32Array[],
  labels: readonly number[],
  classes: number,
  features: number,
  smoothing: number,
): { weights: Float64Array; prior: Float64Array } {
  const count = new Float64Array(features * classes);
  const total = new Float64Array(classes); // feature occurrences per class
  const examples = new Float64Array(classes);
  const seen = new Uint8Array(features);
  rows.forEach((row, i) => {
    const c = labels[i]!;
    examples[c]!++;
    total[c]! += row.length;
    for (let r = 0; r < row.length; r++) {
      count[row[r]! * classes + c]!++;
      seen[row[r]!] = 1;
    }
  });
  let vocabulary = 0;
  for (let f = 0; f < features; f++) vocabulary += seen[f]!;
  let allOccurrences = 0;
  let allExamples = 0;
  for (let c = 0; c < classes; c++) {
    allOccurrences += total[c]!;
    allExamples += examples[c]!;
  }
  const weights = new Float64Array(features * classes);
  const prior = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    if (examples[c] === 0) {
      prior[c] = -Infinity;
      continue;
    }
    prior[c] = Math.log2(examples[c]!) - Math.log2(allExamples - examples[c]!);
    const inDenominator = Math.log2(total[c]! + vocabulary * smoothing);
    const outDenominator = Math.log2(allOccurrences - total[c]! + vocabulary * smoothing);
    for (let f = 0; f < features; f++) {
      if (!seen[f]) continue;
      let rowTotal = 0;
      for (let k = 0; k < classes; k++) rowTotal += count[f * classes + k]!;
      const inClass = count[f * classes + c]!;
      weights[f * classes + c] =
        Math.log2(inClass + smoothing) - inDenominator - (Math.log2(rowTotal - inClass + smoothing) - outDenominator);
    }
  }
  return { weights, prior };
}

// ---------------------------------------------------------------- logistic regression

/** A deterministic pseudo-random generator (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LogisticOptions {
  /** L2 penalty on the mean log loss. */
  l2: number;
  /** Passes over the data. */
  epochs: number;
  /** First step size. Default 0.05 (features are 0/1, a message has tens of them). */
  learningRate?: number;
  /** Seed of the shuffle before each epoch. */
  seed?: number;
}

/**
 * Multinomial logistic regression (softmax over `classes`), by stochastic gradient descent on
 * the mean log loss plus l2/2 ||w||² (the bias is not penalised), with the decaying step
 * eta0 / (1 + eta0 l2 t) (Bottou 2012), a fixed number of epochs and a fixed-seed shuffle. The
 * penalty is applied through one shared scale factor, so a step costs only the example's own
 * features. Returns logits weights[index * classes + c] (natural log) and the biases.
 */
export function logisticRegression(
  rows: readonly Int32Array[],
  labels: readonly number[],
  classes: number,
  features: number,
  options: LogisticOptions,
): { weights: Float64Array; bias: Float64Array } {
  const { l2, epochs } = options;
  const eta0 = options.learningRate ?? 0.05;
  const rand = mulberry32(options.seed ?? 20260520);
  const K = classes;
  const N = rows.length;
  const weights = new Float64Array(features * K);
  const bias = new Float64Array(K);
  // start each bias at the log of its class's share
  const share = new Float64Array(K);
  for (const c of labels) share[c]!++;
  for (let c = 0; c < K; c++) bias[c] = Math.log(Math.max(share[c]! / Math.max(N, 1), 1e-3));

  let scale = 1;
  const g = new Float64Array(K);
  const order = Int32Array.from({ length: N }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    for (let o = 0; o < N; o++) {
      const e = order[o]!;
      const row = rows[e]!;
      for (let c = 0; c < K; c++) g[c] = 0;
      for (let r = 0; r < row.length; r++) {
        const base = row[r]! * K;
        for (let c = 0; c < K; c++) g[c]! += weights[base + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        g[c] = g[c]! * scale + bias[c]!;
        if (g[c]! > max) max = g[c]!;
      }
      let sum = 0;
      for (let c = 0; c < K; c++) {
        g[c] = Math.exp(g[c]! - max);
        sum += g[c]!;
      }
      const y = labels[e]!;
      for (let c = 0; c < K; c++) g[c] = g[c]! / sum - (c === y ? 1 : 0);

      const eta = eta0 / (1 + eta0 * l2 * t);
      t++;
      scale *= 1 - eta * l2;
      const stepSize = eta / scale;
      for (let r = 0; r < row.length; r++) {
        const base = row[r]! * K;
        for (let c = 0; c < K; c++) weights[base + c]! -= stepSize * g[c]!;
      }
      for (let c = 0; c < K; c++) bias[c]! -= eta * g[c]!;
      if (scale < 1e-9) {
        for (let w = 0; w < weights.length; w++) weights[w]! *= scale;
        scale = 1;
      }
    }
  }
  if (scale !== 1) for (let w = 0; w < weights.length; w++) weights[w]! *= scale;
  return { weights, bias };
}
