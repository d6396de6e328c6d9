import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { softmaxProbabilities, trainDenseLogistic } from '../../../services/safety/dense-logistic';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import {
  createSafetyScreen,
  SafetyScreenConfigError,
  SENTENCE_READING_FAILED_REASON,
  SENTENCE_READING_RAISED_REASON,
  SENTENCE_READING_STOOD_DOWN_REASON,
} from '../../../services/safety/pipeline';
import { SENTENCE_ENCODER_ID } from '../../../services/safety/sentence-encoder';
import type { SafetyClassifier, SeverityScores } from '../../../services/safety/classifier';
import type { ScreenResult } from '../../../services/safety/types';
import { classifierSettingsRefined } from '../../../services/safety/schema';
import {
  readSentenceReading,
  SentenceReadingFileError,
  sentenceReadingFileText,
  trainingDigest,
  type ReadingProbabilities,
  type SentenceReading,
} from '../../../services/safety/sentence-reading';

/** A sentence reading that answers fixed probabilities (or fails, or never answers) and counts its calls. */
function fakeReading(urgent: number | 'fail' | 'hang', benign = 0): SentenceReading & { calls: number } {
  const reading = {
    calls: 0,
    read(): Promise<ReadingProbabilities> {
      reading.calls += 1;
      if (urgent === 'fail') return Promise.reject(new Error('encoder broke'));
      if (urgent === 'hang') return new Promise<ReadingProbabilities>(() => undefined);
      return Promise.resolve({ urgent, benign });
    },
  };
  return reading;
}

const shipped = loadSafetyLexicon().training!.settings.sentenceReading!;

// Invented messages, chosen for where the shipped classifier scores them (asserted below).
const LEANS_URGENT = 'just let my little brother know i love him';
const EVERYDAY = 'the weather is lovely today and i went for a walk';
const RULES_URGENT = 'kms';

describe('the sentence reading in the screen (a fake reading)', () => {
  it('is asked about a message the classifier leans towards urgent, and raises it to urgent with crisis signposting', async () => {
    const reading = fakeReading(0.95);
    const screen = createSafetyScreen({ sentenceReading: reading });
    const first = screen.screenSync(LEANS_URGENT);
    expect(first.severity).not.toBe('urgent');
    expect(screen.classifier!.score(screen.lexicon.normalise(LEANS_URGENT)).urgent).toBeGreaterThanOrEqual(shipped.consultFrom);

    const result = await screen.screen(LEANS_URGENT);
    expect(reading.calls).toBe(1);
    expect(result).toMatchObject({ severity: 'urgent', category: 'suicide_self_harm', needsCrisisSignposting: true });
    expect(result.reasons).toEqual([...first.reasons, SENTENCE_READING_RAISED_REASON]);
  });

  it('leaves the result as it was when the reading is not sure enough', async () => {
    const screen = createSafetyScreen({ sentenceReading: fakeReading(shipped.raiseAt - 0.01) });
    expect(await screen.screen(LEANS_URGENT)).toEqual(screen.screenSync(LEANS_URGENT));
  });

  it('is not asked about everyday messages, nor about messages already urgent, nor on the fast path', async () => {
    const reading = fakeReading(1);
    const screen = createSafetyScreen({ sentenceReading: reading });
    expect(screen.classifier!.score(screen.lexicon.normalise(EVERYDAY)).urgent).toBeLessThan(shipped.consultFrom);
    expect((await screen.screen(EVERYDAY)).severity).toBe('none');
    expect((await screen.screen('')).severity).toBe('none');
    expect((await screen.screen(RULES_URGENT)).severity).toBe('urgent');
    expect(screen.screenSync(LEANS_URGENT).severity).not.toBe('urgent');
    expect(reading.calls).toBe(0);
  });

  it('is not asked about one- or two-word replies, however the classifier scores them', async () => {
    const reading = fakeReading(1);
    const screen = createSafetyScreen({ sentenceReading: reading });
    for (const reply of ['thank you', 'bye', 'ready', 'goodnight', 'done', 'Jordan', '20']) {
      expect(screen.classifier!.score(screen.lexicon.normalise(reply)).urgent).toBeGreaterThanOrEqual(shipped.consultFrom);
      expect(await screen.screen(reply)).toEqual(screen.screenSync(reply));
    }
    expect(reading.calls).toBe(0);
    expect(shipped.minWords).toBe(3);
    // three words, as normalised ("he's" is "he is"), are enough
    await screen.screen("he's here");
    expect(reading.calls).toBe(1);
  });

  it('never lowers: a high result it is not sure about stays high', async () => {
    const screen = createSafetyScreen({ sentenceReading: fakeReading(0) });
    const text = 'i am sleeping in my car tonight, nowhere else to go';
    expect((await screen.screen(text)).severity).toBe(screen.screenSync(text).severity);
    expect(screen.screenSync(text).severity).toBe('high');
  });

  it('when the reading fails or hangs, the first readings stand (and say so in the reasons, never the text)', async () => {
    const failing = createSafetyScreen({ sentenceReading: fakeReading('fail') });
    const first = failing.screenSync(LEANS_URGENT);
    expect(await failing.screen(LEANS_URGENT)).toEqual({ ...first, reasons: [...first.reasons, SENTENCE_READING_FAILED_REASON] });

    const hanging = createSafetyScreen({ sentenceReading: fakeReading('hang'), sentenceReadingTimeoutMs: 50 });
    const started = Date.now();
    const result = await hanging.screen(LEANS_URGENT);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.severity).toBe(first.severity);
    expect(result.reasons).toContain(SENTENCE_READING_FAILED_REASON);
  });

  it('runs in the LangChain pipeline too, before the language model is asked', async () => {
    const reading = fakeReading(0.95);
    const model = new FakeListChatModel({ responses: ['{"severity":"none","category":"none"}'] });
    const screen = createSafetyScreen({ sentenceReading: reading, model });
    expect(await screen.screen(LEANS_URGENT)).toMatchObject({ severity: 'urgent', needsCrisisSignposting: true });
    expect(reading.calls).toBe(1);
  });

  it('can be switched off, and a bad time box stops start-up', () => {
    expect(() => createSafetyScreen({ sentenceReadingTimeoutMs: 0 })).toThrow(SafetyScreenConfigError);
    expect(() => createSafetyScreen({ sentenceReadingTimeoutMs: Number.NaN })).toThrow(/sentenceReadingTimeoutMs/);
    const off = createSafetyScreen({ sentenceReading: false });
    return expect(off.screen(LEANS_URGENT)).resolves.toEqual(off.screenSync(LEANS_URGENT));
  });
});

/** The shipped classifier with made-up scores and an urgent category of our choosing. */
function classifierScoring(scores: SeverityScores, urgentCategory: 'harm_from_others' | 'suicide_self_harm' = 'harm_from_others'): SafetyClassifier {
  const shippedClassifier = createSafetyScreen({ sentenceReading: false }).classifier!;
  const verdict = { severity: 'none' as const, category: 'none' as const };
  return {
    ...shippedClassifier,
    score: () => scores,
    classify: () => verdict,
    assess: () => ({ verdict, scores }),
    category: (_text, severity) => (severity === 'urgent' ? urgentCategory : 'mental_health'),
  };
}

describe('when the sentence reading is asked, and what it decides (a made-up classifier)', () => {
  const sure = { urgent: -30, safeguarding: -30, concern: -30 };
  const screenWith = (scores: SeverityScores, answer: number) => {
    const reading = fakeReading(answer);
    return { reading, screen: createSafetyScreen({ classifier: classifierScoring(scores), sentenceReading: reading }) };
  };

  it('asks at exactly consultFrom and raises at exactly raiseAt, not a little below either', async () => {
    const at = screenWith({ ...sure, urgent: shipped.consultFrom }, shipped.raiseAt);
    expect(await at.screen.screen(EVERYDAY)).toMatchObject({ severity: 'urgent', reasons: [SENTENCE_READING_RAISED_REASON] });
    const below = screenWith({ ...sure, urgent: shipped.consultFrom - 0.01 }, 1);
    expect((await below.screen.screen(EVERYDAY)).severity).toBe('none');
    expect(below.reading.calls).toBe(0);
    const unsure = screenWith({ ...sure, urgent: shipped.consultFrom }, shipped.raiseAt - 1e-9);
    expect((await unsure.screen.screen(EVERYDAY)).severity).toBe('none');
    expect(unsure.reading.calls).toBe(1);
  });

  it('goes by the urgent score only: a high safeguarding or concern score does not ask it', async () => {
    const { screen, reading } = screenWith({ urgent: shipped.consultFrom - 1, safeguarding: 30, concern: 30 }, 1);
    await screen.screen(EVERYDAY);
    expect(reading.calls).toBe(0);
  });

  it('names the category the classifier gives at urgent', async () => {
    const { screen } = screenWith({ ...sure, urgent: 0 }, 0.99);
    expect(await screen.screen(EVERYDAY)).toMatchObject({ severity: 'urgent', category: 'harm_from_others', needsCrisisSignposting: true });
  });

  it('is not asked about a message the classifier already calls urgent', async () => {
    const reading = fakeReading(1);
    const screen = createSafetyScreen({ sentenceReading: reading });
    const text = "i'm going to the station to step in front of the next train";
    expect(screen.screenSync(text).reasons).toEqual(['model.classifier']);
    expect((await screen.screen(text)).severity).toBe('urgent');
    expect(reading.calls).toBe(0);
  });

  it('a reading that gives no number counts as a failure, not as "not sure"', async () => {
    const screen = createSafetyScreen({ classifier: classifierScoring({ ...sure, urgent: 0 }), sentenceReading: fakeReading(Number.NaN) });
    expect((await screen.screen(EVERYDAY)).reasons).toContain(SENTENCE_READING_FAILED_REASON);
  });
});

describe('standing an urgent rules result down to a concern when both learned readings are sure it is benign', () => {
  // Invented messages the rules call urgent.
  const COURSE = 'our work training covered what to say to someone who feels suicidal, really good trainer';
  const sureBenign = { urgent: -30, safeguarding: -30, concern: -30 };
  const stoodDownFrom = (rules: ScreenResult) => ({
    ...rules,
    severity: 'medium',
    needsCrisisSignposting: false,
    reasons: [...rules.reasons, 'model.stood_down', SENTENCE_READING_STOOD_DOWN_REASON],
  });

  it('becomes a concern (never nothing) only when the reading is sure enough, and says so in the reasons', async () => {
    const sure = fakeReading(0, shipped.standDownUrgent!.benignAt);
    const screen = createSafetyScreen({ sentenceReading: sure });
    const rules = screen.screenSync(COURSE);
    expect(rules).toMatchObject({ severity: 'urgent', needsCrisisSignposting: true });
    expect(await screen.screen(COURSE)).toEqual(stoodDownFrom(rules));
    expect(sure.calls).toBe(1);

    const unsure = createSafetyScreen({ sentenceReading: fakeReading(0, shipped.standDownUrgent!.benignAt - 0.001) });
    expect(await unsure.screen(COURSE)).toEqual(unsure.screenSync(COURSE));
  });

  it.each([
    ['fails', fakeReading('fail')],
    ['gives no number', fakeReading(0, Number.NaN)],
  ])('a reading that %s leaves it urgent', async (_what, reading) => {
    const screen = createSafetyScreen({ sentenceReading: reading });
    expect(await screen.screen(COURSE)).toMatchObject({ severity: 'urgent', needsCrisisSignposting: true, reasons: [...screen.screenSync(COURSE).reasons, SENTENCE_READING_FAILED_REASON] });
  });

  it('a reading that hangs leaves it urgent within the time box', async () => {
    const screen = createSafetyScreen({ sentenceReading: fakeReading('hang'), sentenceReadingTimeoutMs: 50 });
    expect((await screen.screen(COURSE)).severity).toBe('urgent');
  });

  // With a classifier that is sure everything is benign, so that only the guard under test protects the message.
  it.each([
    ['a medical emergency', 'my baby is floppy and wont wake up'],
    ['an emergency filed under self-harm with a medical rule', 'my son cut his leg on glass and it will not stop bleeding'],
    ['a report about someone else', 'my mate just told me he wants to kill himself tonight'],
    ['a message of fewer than three words ("kms" reads as "kill myself")', 'kms'],
    ['a message longer than the reading is shown', `i want to kill myself ${'and the weather was fine '.repeat(200)}`],
    ['a never-stood-down rule below the urgent one (strangling)', 'i want to kill myself and my boyfriend choked me lol'],
  ])('never asks about, nor stands down: %s', async (_why, text) => {
    const reading = fakeReading(0, 1);
    const screen = createSafetyScreen({ classifier: classifierScoring(sureBenign), sentenceReading: reading });
    expect(screen.screenSync(text).severity).toBe('urgent');
    expect(await screen.screen(text)).toEqual(screen.screenSync(text));
    expect(reading.calls).toBe(0);
  });

  it.each([
    ['a plain statement (the classifier is not sure)', 'i want to kill myself tonight'],
    ['an overdose told at the end of a cheerful message (one stretch is not benign)', 'hiya! got the job at the bakery, start monday, uniform is minging lol. also ive taken all my tablets tonight, sorry'],
    ['an urgent result the classifier raised', "i'm going to the station to step in front of the next train"],
  ])('with the shipped classifier, never asks about: %s', async (_why, text) => {
    const reading = fakeReading(0, 1);
    const screen = createSafetyScreen({ sentenceReading: reading });
    expect(screen.screenSync(text).severity).toBe('urgent');
    expect(await screen.screen(text)).toEqual(screen.screenSync(text));
    expect(reading.calls).toBe(0);
  });

  it('through the LangChain pipeline too, where the language model may still raise it again', async () => {
    const quiet = createSafetyScreen({ sentenceReading: fakeReading(0, 1), model: new FakeListChatModel({ responses: ['{"severity":"none","category":"none"}'] }) });
    expect(await quiet.screen(COURSE)).toMatchObject({ severity: 'medium', reasons: expect.arrayContaining([SENTENCE_READING_STOOD_DOWN_REASON]) });
    const worried = createSafetyScreen({ sentenceReading: fakeReading(0, 1), model: new FakeListChatModel({ responses: ['{"severity":"urgent","category":"suicide_self_harm"}'] }) });
    expect(await worried.screen(COURSE)).toMatchObject({ severity: 'urgent', needsCrisisSignposting: true });
  });

  it('settings: standDownUrgent needs standDown (its stretch length), and sure-enough bounds', () => {
    const settings = loadSafetyLexicon().training!.settings;
    expect(classifierSettingsRefined.safeParse(settings).success).toBe(true);
    const { standDown: _none, ...withoutStandDown } = settings;
    const refused = classifierSettingsRefined.safeParse(withoutStandDown);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['sentenceReading', 'standDownUrgent']);
    const loose = { ...settings, sentenceReading: { ...settings.sentenceReading!, standDownUrgent: { benignOdds: 2, benignAt: 0.5 } } };
    expect(classifierSettingsRefined.safeParse(loose).success).toBe(false);
  });

  it('without standDownUrgent in the settings, urgent is never stood down', async () => {
    const base = createSafetyScreen({ sentenceReading: false }).classifier!;
    const { standDownUrgent: _dropped, ...readingSettings } = shipped;
    const classifier = { ...base, settings: { ...base.settings, sentenceReading: readingSettings } };
    const reading = fakeReading(0, 1);
    const screen = createSafetyScreen({ classifier, sentenceReading: reading });
    expect((await screen.screen(COURSE)).severity).toBe('urgent');
    expect(reading.calls).toBe(0);
  });
});

describe('the trained sentence reading file', () => {
  it('was trained on the training data as it is now, with this encoder (else run npm run safety:sentence-reading)', () => {
    const trained = readSentenceReading();
    expect(trained).not.toBeNull();
    expect(trained!.encoder).toBe(SENTENCE_ENCODER_ID);
    expect(trained!.trainingDigest).toBe(trainingDigest(loadSafetyLexicon().training!.examples));
    expect(trained!.model.dimensions).toBe(512);
  });

  describe('a bad file stops start-up, naming the file', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-reading-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const good = () => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../services/safety/sentence-reading.json'), 'utf8'));

    it('absent: no reading', () => {
      expect(readSentenceReading(path.join(dir, 'none.json'))).toBeNull();
    });
    it.each([
      ['not JSON', '{"encoder":', /not JSON/],
      ['missing weights', JSON.stringify({ ...good(), weights: undefined }), /weights/],
      ['wrong labels', JSON.stringify({ ...good(), labels: ['urgent', 'benign', 'concern', 'safeguarding'] }), /labels/],
      ['ragged rows', JSON.stringify({ ...good(), weights: good().weights.map((row: number[], i: number) => (i === 2 ? row.slice(1) : row)) }), /rows differ/],
      ['another encoder', JSON.stringify({ ...good(), encoder: 'some-other-encoder' }), /made with some-other-encoder/],
      ['a bad digest', JSON.stringify({ ...good(), trainingDigest: 'abc' }), /trainingDigest/],
    ])('%s', (name, text, problem) => {
      const file = write(`${name}.json`, text);
      expect(() => readSentenceReading(file)).toThrow(SentenceReadingFileError);
      expect(() => readSentenceReading(file)).toThrow(problem);
      expect(() => readSentenceReading(file)).toThrow(file);
    });

    it('what is written is read back the same, to 6 significant digits', () => {
      const trained = readSentenceReading()!;
      const file = write('copy.json', sentenceReadingFileText(trained));
      const again = readSentenceReading(file)!;
      expect(again.trainingDigest).toBe(trained.trainingDigest);
      again.model.weights.forEach((w, i) => expect(w).toBeCloseTo(trained.model.weights[i]!, 5));
    });
  });
});

describe('dense logistic regression', () => {
  // Two clouds of points either side of x0 + x1 = 0, in 3 dimensions (the third is noise).
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 200; i++) {
    const side = i % 2;
    const a = ((i * 37) % 100) / 100;
    const b = ((i * 61) % 100) / 100;
    points.push(side === 1 ? [0.5 + a, 0.5 + b, a - b] : [-0.5 - a, -0.5 - b, b - a]);
    labels.push(side);
  }

  it('separates what is separable, with probabilities that sum to one', () => {
    const model = trainDenseLogistic(points, labels, 2, { l2: 1e-4, iterations: 200 });
    points.forEach((point, i) => {
      const p = softmaxProbabilities(model, point);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 10);
      expect(p[labels[i]!]!).toBeGreaterThan(0.9);
    });
  });

  it('is deterministic, and stronger L2 gives smaller weights', () => {
    const one = trainDenseLogistic(points, labels, 2, { l2: 1e-4, iterations: 50 });
    const two = trainDenseLogistic(points, labels, 2, { l2: 1e-4, iterations: 50 });
    expect(two).toEqual(one);
    const norm = (w: number[]) => Math.hypot(...w);
    expect(norm(trainDenseLogistic(points, labels, 2, { l2: 1, iterations: 200 }).weights)).toBeLessThan(norm(trainDenseLogistic(points, labels, 2, { l2: 1e-4, iterations: 200 }).weights));
  });

  it('refuses vectors without labels', () => {
    expect(() => trainDenseLogistic([], [], 2, { l2: 0, iterations: 1 })).toThrow(/one label/);
    expect(() => trainDenseLogistic([[1]], [0, 1], 2, { l2: 0, iterations: 1 })).toThrow(/one label/);
  });
});

describe('the shipped sentence reading (the real encoder)', () => {
  const screen = createSafetyScreen();
  // Invented terse farewells: the words alone are everyday, so the classifier leans but does not say urgent.
  it.each(["i was going to wait till after christmas but i can't. it's today", "was going to wait till the weekend but i can't. it's now"])('raises %j to urgent', async (text) => {
    expect(screen.screenSync(text).severity).not.toBe('urgent');
    const result = await screen.screen(text);
    expect(result).toMatchObject({ severity: 'urgent', needsCrisisSignposting: true });
    expect(result.reasons).toContain(SENTENCE_READING_RAISED_REASON);
  }, 30_000);

  // Everyday replies to Tribe's own questions; the first five once became urgent (a reviewer's
  // examples, kept out of training-replies.yaml so that this checks how far its examples reach).
  it.each(['our work training covered what to say to someone who feels suicidal, really good trainer', 'kms lol that chemistry exam had stuff we never even covered'])(
    'stands %j down to a concern (the rules say urgent; both readings are sure it is benign)',
    async (text) => {
      expect(screen.screenSync(text).severity).toBe('urgent');
      expect(await screen.screen(text)).toMatchObject({ severity: 'medium', needsCrisisSignposting: false, reasons: expect.arrayContaining([SENTENCE_READING_STOOD_DOWN_REASON]) });
    },
    30_000,
  );

  it.each([
    'not now thanks',
    'not right now thanks',
    'no thanks not right now',
    'not today thanks',
    'maybe later thanks',
    'yes i am safe now',
    'ok i will call them',
    'just let my little brother know i love him, he starts school tomorrow',
    'time for bed. night all x',
    'can i get help with my bus fare to college',
  ])(
    'leaves %j as it was',
    async (text) => {
      expect(await screen.screen(text)).toEqual(screen.screenSync(text));
    },
    30_000,
  );
});
