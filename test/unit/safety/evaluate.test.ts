import {
  combineMetrics,
  computeMetrics,
  EvalSetError,
  evaluateSet,
  formatMetrics,
  meetsLabel,
  parseEvalSet,
  thresholdFailures,
  type Outcome,
  type Verdict,
} from '../../../services/safety/evaluate';

const v = (severity: Verdict['severity'], needsCrisisSignposting = severity === 'urgent'): Verdict => ({ severity, needsCrisisSignposting });

describe('meetsLabel', () => {
  it.each<[string, Verdict, boolean]>([
    ['urgent', v('urgent'), true],
    ['urgent', v('urgent', false), false],
    ['urgent', v('high', true), false],
    ['safeguarding', v('high'), true],
    ['safeguarding', v('urgent'), true],
    ['safeguarding', v('medium'), false],
    ['concern', v('medium'), true],
    ['concern', v('urgent'), true],
    ['concern', v('none'), false],
    ['benign', v('none'), true],
    ['benign', v('none', true), false],
    ['benign', v('medium'), false],
  ])('%s with %j -> %s', (label, verdict, expected) => {
    expect(meetsLabel(label as 'urgent', verdict)).toBe(expected);
  });
});

describe('metrics', () => {
  const outcome = (label: Outcome['item']['label'], verdict: Verdict): Outcome => ({ item: { label, text: `${label} message` }, verdict });

  it('computes every rate, lists misses, and combines sets', () => {
    const a = computeMetrics('a', [
      outcome('urgent', v('urgent')),
      outcome('urgent', v('high')),
      outcome('safeguarding', v('high')),
      outcome('concern', v('urgent')),
      outcome('benign', v('none')),
      outcome('benign', v('medium')),
    ]);
    expect(a.urgentRecall).toEqual({ hits: 1, total: 2, rate: 0.5 });
    expect(a.safeguardingRecall.rate).toBe(1);
    expect(a.concernHandled.rate).toBe(1);
    expect(a.concernCrisisSignposting.rate).toBe(1);
    expect(a.benignFalseAlarms).toEqual({ hits: 1, total: 2, rate: 0.5 });
    expect(a.benignCrisisSignposting.rate).toBe(0);
    expect(a.misses.map((m) => m.item.label)).toEqual(['urgent', 'benign']);
    expect(thresholdFailures(a)).toEqual([
      'urgent recall 50.0% is below 97.0%',
      'benign false alarms 50.0% are above 5.0%',
    ]);
    const b = computeMetrics('b', [outcome('urgent', v('urgent')), outcome('benign', v('none'))]);
    const both = combineMetrics('both', [a, b]);
    expect(both.total).toBe(8);
    expect(both.urgentRecall.rate).toBeCloseTo(2 / 3);
    expect(formatMetrics(both, { misses: true })).toMatch(/misses \(2\)/);
    expect(computeMetrics('empty', []).urgentRecall.rate).toBeNull();
    expect(thresholdFailures(computeMetrics('empty', []))).toEqual([]);
  });

  it('evaluates a set through any screen function (sync or async)', async () => {
    const items = parseEvalSet('{"label":"urgent","text":"x"}\n\n{"label":"benign","text":"y"}\n');
    const metrics = await evaluateSet('t', items, async (text) => v(text === 'x' ? 'urgent' : 'none'));
    expect(metrics.urgentRecall.rate).toBe(1);
    expect(metrics.benignFalseAlarms.rate).toBe(0);
  });

  it('refuses a bad set, naming each bad line', () => {
    expect(() => parseEvalSet('{"label":"urgent","text":"x"}\nnot json\n{"label":"scary","text":"y"}', 'set.jsonl')).toThrow(EvalSetError);
    try {
      parseEvalSet('{"label":"urgent","text":"x"}\nnot json\n{"label":"scary","text":"y"}', 'set.jsonl');
    } catch (error) {
      expect((error as EvalSetError).problems).toEqual([expect.stringMatching(/^line 2: not JSON/), expect.stringMatching(/^line 3: label/)]);
    }
  });
});
