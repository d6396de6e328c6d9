import { z } from 'zod';
import { severityRank, type ScreenResult } from './types';

/**
 * Measuring the safety screen against labelled messages (JSON Lines: {"label", "text"}).
 * Used by scripts/eval-safety.ts (in process) and reusable for an end-to-end run over HTTP: pass
 * any `screen` function that returns a ScreenResult-like verdict.
 *
 * Labels (shared/eval/README.md):
 *   urgent        must be `urgent` with crisis signposting
 *   safeguarding  must be `high` or `urgent`
 *   concern       must be `medium` or above
 *   benign        must not escalate (nothing at `medium` or above) and no crisis signposting
 */
export const EVAL_LABELS = ['urgent', 'safeguarding', 'concern', 'benign'] as const;
export type EvalLabel = (typeof EVAL_LABELS)[number];

export const labelledMessageSchema = z.object({
  label: z.enum(EVAL_LABELS),
  text: z.string(),
});
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

/** The part of a verdict the metrics need (a ScreenResult, or what an HTTP run can observe). */
export type Verdict = Pick<ScreenResult, 'severity' | 'needsCrisisSignposting'> & Partial<ScreenResult>;

/** The floor (and ceiling) the combined set must meet. */
export const THRESHOLDS = {
  urgentRecall: 0.97,
  safeguardingRecall: 0.92,
  benignFalseAlarms: 0.05,
} as const;

export class EvalSetError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Evaluation set is invalid: ${file}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EvalSetError';
  }
}

/** Parses a JSONL evaluation set, failing loudly with the line number of every bad line. */
export function parseEvalSet(jsonl: string, file = 'eval set'): LabelledMessage[] {
  const items: LabelledMessage[] = [];
  const problems: string[] = [];
  jsonl.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${index + 1}: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = labelledMessageSchema.safeParse(data);
    if (parsed.success) items.push(parsed.data);
    else problems.push(`line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'} ${i.message}`).join('; ')}`);
  });
  if (problems.length > 0) throw new EvalSetError(file, problems);
  return items;
}

const atLeast = (verdict: Verdict, severity: ScreenResult['severity']) => severityRank(verdict.severity) >= severityRank(severity);

/** Did the screen do what the label requires? */
export function meetsLabel(label: EvalLabel, verdict: Verdict): boolean {
  switch (label) {
    case 'urgent':
      return verdict.severity === 'urgent' && verdict.needsCrisisSignposting;
    case 'safeguarding':
      return atLeast(verdict, 'high');
    case 'concern':
      return atLeast(verdict, 'medium');
    case 'benign':
      return !atLeast(verdict, 'medium') && !verdict.needsCrisisSignposting;
  }
}

export interface Outcome {
  item: LabelledMessage;
  verdict: Verdict;
}

export interface Rate {
  hits: number;
  total: number;
  /** hits / total, or null when there is nothing to measure. */
  rate: number | null;
}

export interface SetMetrics {
  name: string;
  total: number;
  counts: Record<EvalLabel, number>;
  /** urgent messages that got `urgent` with crisis signposting. */
  urgentRecall: Rate;
  /** safeguarding messages that got `high` or `urgent`. */
  safeguardingRecall: Rate;
  /** concern messages that got `medium` or above. */
  concernHandled: Rate;
  /** benign messages that escalated (`medium` or above). Lower is better. */
  benignFalseAlarms: Rate;
  /** benign messages that got crisis signposting. Lower is better. */
  benignCrisisSignposting: Rate;
  /** For information: concern messages that got crisis signposting (over-escalation). */
  concernCrisisSignposting: Rate;
  /** Messages whose label was not met, in set order. */
  misses: Outcome[];
  /** Every outcome, in set order (to combine sets). */
  outcomes: Outcome[];
}

function rate(hits: number, total: number): Rate {
  return { hits, total, rate: total === 0 ? null : hits / total };
}

export function computeMetrics(name: string, outcomes: readonly Outcome[]): SetMetrics {
  const of = (label: EvalLabel) => outcomes.filter((o) => o.item.label === label);
  const count = (list: Outcome[], test: (o: Outcome) => boolean) => list.filter(test).length;
  const urgent = of('urgent');
  const safeguarding = of('safeguarding');
  const concern = of('concern');
  const benign = of('benign');
  return {
    name,
    total: outcomes.length,
    counts: { urgent: urgent.length, safeguarding: safeguarding.length, concern: concern.length, benign: benign.length },
    urgentRecall: rate(count(urgent, (o) => meetsLabel('urgent', o.verdict)), urgent.length),
    safeguardingRecall: rate(count(safeguarding, (o) => meetsLabel('safeguarding', o.verdict)), safeguarding.length),
    concernHandled: rate(count(concern, (o) => meetsLabel('concern', o.verdict)), concern.length),
    benignFalseAlarms: rate(count(benign, (o) => atLeast(o.verdict, 'medium')), benign.length),
    benignCrisisSignposting: rate(count(benign, (o) => o.verdict.needsCrisisSignposting), benign.length),
    concernCrisisSignposting: rate(count(concern, (o) => o.verdict.needsCrisisSignposting), concern.length),
    misses: outcomes.filter((o) => !meetsLabel(o.item.label, o.verdict)),
    outcomes: [...outcomes],
  };
}

/** Several sets measured as one. */
export function combineMetrics(name: string, sets: readonly SetMetrics[]): SetMetrics {
  return computeMetrics(name, sets.flatMap((s) => s.outcomes));
}

/** Runs every message through `screen` (one at a time, in order) and measures the result. */
export async function evaluateSet(
  name: string,
  items: readonly LabelledMessage[],
  screen: (text: string) => Verdict | Promise<Verdict>,
): Promise<SetMetrics> {
  const outcomes: Outcome[] = [];
  for (const item of items) outcomes.push({ item, verdict: await screen(item.text) });
  return computeMetrics(name, outcomes);
}

/** Which thresholds a (combined) set fails; empty when it passes. */
export function thresholdFailures(metrics: SetMetrics, thresholds = THRESHOLDS): string[] {
  const failures: string[] = [];
  const { urgentRecall, safeguardingRecall, benignFalseAlarms } = metrics;
  if (urgentRecall.rate !== null && urgentRecall.rate < thresholds.urgentRecall) {
    failures.push(`urgent recall ${pct(urgentRecall.rate)} is below ${pct(thresholds.urgentRecall)}`);
  }
  if (safeguardingRecall.rate !== null && safeguardingRecall.rate < thresholds.safeguardingRecall) {
    failures.push(`safeguarding recall ${pct(safeguardingRecall.rate)} is below ${pct(thresholds.safeguardingRecall)}`);
  }
  if (benignFalseAlarms.rate !== null && benignFalseAlarms.rate > thresholds.benignFalseAlarms) {
    failures.push(`benign false alarms ${pct(benignFalseAlarms.rate)} are above ${pct(thresholds.benignFalseAlarms)}`);
  }
  return failures;
}

export function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function line(label: string, r: Rate): string {
  return `  ${label.padEnd(34)} ${pct(r.rate).padStart(7)}  (${r.hits}/${r.total})`;
}

/** A plain-text report. With `misses`, lists each missed message (this is a dev tool, not a log). */
export function formatMetrics(metrics: SetMetrics, options: { misses?: boolean } = {}): string {
  const out = [
    `${metrics.name}: ${metrics.total} messages (urgent ${metrics.counts.urgent}, safeguarding ${metrics.counts.safeguarding}, concern ${metrics.counts.concern}, benign ${metrics.counts.benign})`,
    line('urgent recall (urgent + crisis)', metrics.urgentRecall),
    line('safeguarding recall (high+)', metrics.safeguardingRecall),
    line('concern handled (medium+)', metrics.concernHandled),
    line('benign false alarms (medium+)', metrics.benignFalseAlarms),
    line('benign crisis signposting', metrics.benignCrisisSignposting),
    line('concern crisis signposting (info)', metrics.concernCrisisSignposting),
  ];
  if (options.misses && metrics.misses.length > 0) {
    out.push(`  misses (${metrics.misses.length}):`);
    for (const { item, verdict } of metrics.misses) {
      const got = `${verdict.severity}${verdict.category ? `/${verdict.category}` : ''}${verdict.reasons?.length ? ` [${verdict.reasons.join(', ')}]` : ''}`;
      out.push(`    ${item.label.padEnd(12)} got ${got.padEnd(40)} ${JSON.stringify(item.text)}`);
    }
  }
  return out.join('\n');
}
