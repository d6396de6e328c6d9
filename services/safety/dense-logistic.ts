/**
 * Multinomial logistic regression over dense vectors (sentence embeddings), for the sentence
 * reading (sentence-reading.ts). linear.ts trains over sparse binary features; this one over a few
 * hundred real-valued dimensions, where full-batch training is cheap and exactly repeatable.
 *
 * Training minimises the mean cross-entropy plus l2/2 · |weights|² by full-batch Adam: the same
 * inputs in the same order give the same model, bit for bit.
 */
export interface DenseModel {
  /** classes × dimensions, row-major. */
  weights: number[];
  bias: number[];
  classes: number;
  dimensions: number;
}

export interface DenseTrainOptions {
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  iterations: number;
  learningRate?: number;
}

/** Class probabilities of one vector. */
export function softmaxProbabilities(model: DenseModel, vector: ArrayLike<number>): number[] {
  const { classes: K, dimensions: D, weights, bias } = model;
  const logits = new Array<number>(K);
  let max = -Infinity;
  for (let c = 0; c < K; c++) {
    let sum = bias[c]!;
    const row = c * D;
    for (let d = 0; d < D; d++) sum += weights[row + d]! * vector[d]!;
    logits[c] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let c = 0; c < K; c++) {
    logits[c] = Math.exp(logits[c]! - max);
    total += logits[c]!;
  }
  return logits.map((v) => v / total);
}

export function trainDenseLogistic(
  vectors: readonly ArrayLike<number>[],
  labels: readonly number[],
  classes: number,
  options: DenseTrainOptions,
): DenseModel {
  const N = vectors.length;
  if (N === 0 || N !== labels.length) throw new Error('trainDenseLogistic needs one label for each of at least one vector');
  const D = vectors[0]!.length;
  const K = classes;
  const model: DenseModel = { weights: new Array<number>(K * D).fill(0), bias: new Array<number>(K).fill(0), classes: K, dimensions: D };
  const size = K * D + K;
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const rate = options.learningRate ?? 0.05;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  for (let step = 1; step <= options.iterations; step++) {
    grad.fill(0);
    for (let n = 0; n < N; n++) {
      const x = vectors[n]!;
      const p = softmaxProbabilities(model, x);
      for (let c = 0; c < K; c++) {
        const error = (p[c]! - (labels[n] === c ? 1 : 0)) / N;
        const row = c * D;
        for (let d = 0; d < D; d++) grad[row + d]! += error * x[d]!;
        grad[K * D + c]! += error;
      }
    }
    for (let i = 0; i < K * D; i++) grad[i]! += options.l2 * model.weights[i]!;
    for (let i = 0; i < size; i++) {
      m[i] = beta1 * m[i]! + (1 - beta1) * grad[i]!;
      v[i] = beta2 * v[i]! + (1 - beta2) * grad[i]! * grad[i]!;
      const update = (rate * (m[i]! / (1 - beta1 ** step))) / (Math.sqrt(v[i]! / (1 - beta2 ** step)) + epsilon);
      if (i < K * D) model.weights[i]! -= update;
      else model.bias[i - K * D]! -= update;
    }
  }
  return model;
}
