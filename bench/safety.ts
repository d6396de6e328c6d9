import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../services/project-root';
import { parseEvalSet } from '../services/safety/evaluate';
import { trainSafetyClassifier } from '../services/safety/classifier';
import { createSafetyScreen, type SafetyScreen } from '../services/safety/pipeline';
import { localSentenceEncoder } from '../services/safety/sentence-encoder';
import { createSentenceReading, readSentenceReading, type SentenceReading } from '../services/safety/sentence-reading';

/**
 * Safety screen throughput on the fast path (`screenSync`: rules, then the learned classifier), one core (this process, one thread),
 * over a mixed corpus: the labelled dev and own sets (risk-heavy) plus everyday messages, so that
 * about two thirds of messages are ordinary ones, as in real traffic, and a few long messages.
 * The holdout set is not used.
 *
 * Baselines measured in the same run, rounds alternating (the machine is shared and noisy):
 *   rules only       the same screen with the classifier switched off (what the classifier costs)
 *   normalise-only   the text normalisation step alone (a floor: the screen must do at least this)
 *   naive regex      one combined keyword regex over lower-cased text, the naive screen that
 *                    cannot tell "this essay is killing me" from "kill myself"
 * Prints msgs/s for each, the ratios, and the screen against the 20,000 msgs/s goal. Then the whole
 * screen (`screen`: with the sentence reading, which the fast path leaves out): how many messages
 * the reading is asked about and what each costs, against the fast path over the same messages. Rates are per
 * second of this process's CPU time (one core), so a busy shared machine does not count against
 * the screen; on an idle machine they are close to wall-clock rates (a little under: GC and
 * compiler threads count too).
 */
const GOAL = 20_000;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

const EVERYDAY = [
  'hiya',
  'ok thanks',
  'what is a pathway plan?',
  'how much is the setting up home allowance',
  'can you remind me to ring my PA on monday',
  'i passed my driving test!!',
  'my PA sorted my housing benefit, she is amazing',
  'what time does the jobcentre open',
  'i need help writing a cover letter for a job at tesco',
  'can i get a bus pass as a care leaver',
  'pause my reminders for a week please',
  'add my aunt as a trusted adult',
  'this essay is killing me lol',
  'i could murder a kebab rn',
  'going to the gym then tea at my nans',
  'my phone is on 2% its dying',
  'how do i register with a gp',
  'is there a grant for a laptop for college',
  'i moved into my new flat today, so happy',
  'what bills do i pay in my flat',
  'i am so hungry what should i cook',
  'can i stay put with my foster family after 18',
  'thanks so much x',
  'menu',
  'help with my CV please',
  'what is staying close?',
  'my mate is coming round later to watch the football',
  'do care leavers pay council tax',
];

function labelledSets(): string[] {
  const sets = [
    process.env['SAFETY_DEV_SET'] || path.resolve(projectRoot, '..', 'shared', 'eval', 'safety-dev.jsonl'),
    path.join(projectRoot, 'test', 'eval', 'safety-own.jsonl'),
  ].filter((file) => fs.existsSync(file));
  return sets.flatMap((file) => parseEvalSet(fs.readFileSync(file, 'utf8'), file).map((m) => m.text));
}

function corpus(labelled: readonly string[]): string[] {
  const everyday: string[] = [];
  // two everyday messages for every labelled one
  while (everyday.length < labelled.length * 2) everyday.push(...EVERYDAY);
  const long = `${'had a long day at college then went to the shop and back home again. '.repeat(40)}all good though`;
  const mixed: string[] = [];
  const max = Math.max(labelled.length, everyday.length);
  for (let i = 0; i < max; i++) {
    if (i < labelled.length) mixed.push(labelled[i]!);
    if (i < everyday.length) mixed.push(everyday[i]!);
    if (i % 200 === 0) mixed.push(long);
  }
  return mixed;
}

/** Runs `fn` over the corpus for about `seconds`; returns messages per CPU second. */
function measure(texts: readonly string[], fn: (text: string) => number, seconds: number): { rate: number; sink: number } {
  let sink = 0;
  let count = 0;
  const budget = BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  while (process.hrtime.bigint() - started < budget) {
    for (let i = 0; i < texts.length; i++) sink += fn(texts[i]!);
    count += texts.length;
  }
  const cpu = process.cpuUsage(cpuStarted);
  return { rate: count / ((cpu.user + cpu.system) / 1e6), sink };
}

/** A sentence reading that counts how often it is asked. */
function counted(reading: SentenceReading): SentenceReading & { calls: number } {
  const wrapper = {
    calls: 0,
    read(text: string) {
      wrapper.calls += 1;
      return reading.read(text);
    },
  };
  return wrapper;
}

/** CPU seconds of one pass of the whole screen over `texts`, one message at a time. */
async function cpuSecondsOf(screen: SafetyScreen, texts: readonly string[]): Promise<number> {
  const started = process.cpuUsage();
  for (const text of texts) await screen.screen(text);
  const cpu = process.cpuUsage(started);
  return (cpu.user + cpu.system) / 1e6;
}

/** The sentence reading: how often it is asked, and what the whole screen costs with it. */
async function sentenceReadingCost(texts: readonly string[], fastRate: number): Promise<void> {
  const trained = readSentenceReading();
  if (!trained) {
    console.log('  sentence reading: not trained (services/safety/sentence-reading.json is absent)');
    return;
  }
  const reading = counted(createSentenceReading(trained, localSentenceEncoder()));
  const screen = createSafetyScreen({ sentenceReading: reading });
  await screen.warmUp(); // the encoder is loaded on first use
  reading.calls = 0;
  await cpuSecondsOf(screen, EVERYDAY);
  const everydayAsked = reading.calls;
  reading.calls = 0;
  const seconds = await cpuSecondsOf(screen, texts);
  const asked = reading.calls;
  const rate = texts.length / seconds;
  const perReadingMs = asked === 0 ? 0 : ((seconds - texts.length / fastRate) * 1000) / asked;
  console.log(
    `  whole screen (with the sentence reading) ${Math.round(rate).toLocaleString('en-GB')} msgs/s on the mixed corpus: the reading was asked about ${asked} of ${texts.length} messages ` +
      `(${((100 * asked) / texts.length).toFixed(1)}%; ${everydayAsked} of the ${EVERYDAY.length} everyday ones), ${perReadingMs.toFixed(1)} ms of CPU each; whole/fast path = ${(rate / fastRate).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const trainStarted = process.hrtime.bigint();
  const screen = createSafetyScreen();
  const startupMs = Number(process.hrtime.bigint() - trainStarted) / 1e6;
  const rulesOnly = createSafetyScreen({ lexicon: screen.lexicon, classifier: false });
  const classifier = screen.classifier;
  let trainMs = 0;
  if (screen.lexicon.training) {
    const t = process.hrtime.bigint();
    trainSafetyClassifier(screen.lexicon.training.examples, screen.lexicon.normalise, screen.lexicon.training.settings);
    trainMs = Number(process.hrtime.bigint() - t) / 1e6;
  }
  const labelled = labelledSets();
  const texts = corpus(labelled);
  const { normalise } = screen.lexicon;
  const naive =
    /\b(?:kill|suicid\w*|die|dead|overdos\w*|self harm|cut\w*|hurt|pills|tablets|hits?|hit me|abus\w*|rape\w*|threat\w*|homeless|evicted|kicked out|nowhere|no food|starving|electric|gas|drugs|county lines|owe|scared|depress\w*|lonely|anxious|panic)\b/;

  const runs = {
    screen: (t: string) => (screen.screenSync(t).severity === 'none' ? 0 : 1),
    'rules only': (t: string) => (rulesOnly.screenSync(t).severity === 'none' ? 0 : 1),
    'normalise-only': (t: string) => normalise(t).length,
    'naive regex': (t: string) => (naive.test(t.toLowerCase()) ? 1 : 0),
  };
  type Name = keyof typeof runs;
  const rates: Record<Name, number[]> = { screen: [], 'rules only': [], 'normalise-only': [], 'naive regex': [] };
  let sink = 0;

  // warm-up (JIT, regex compilation, the word gate's memo)
  for (const fn of Object.values(runs)) sink += measure(texts, fn, 0.3).sink;
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(runs) as Name[]) {
      const { rate, sink: s } = measure(texts, runs[name], SECONDS);
      rates[name].push(rate);
      sink += s;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = { screen: median(rates.screen), rules: median(rates['rules only']), normalise: median(rates['normalise-only']), naive: median(rates['naive regex']) };
  // the worst case: only the risk-heavy labelled messages, where most rules have work to do
  const riskOnly = median([0, 1, 2].map(() => measure(labelled, runs.screen, SECONDS / 2).rate));
  const riskRulesOnly = median([0, 1, 2].map(() => measure(labelled, runs['rules only'], SECONDS / 2).rate));

  const long = `${'fine thanks, just at college. '.repeat(700)}i want to kill myself`;
  const t0 = process.hrtime.bigint();
  const longResult = screen.screenSync(long);
  const longMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const fmt = (n: number) => Math.round(n).toLocaleString('en-GB').padStart(10);
  console.log(`safety screen bench: ${texts.length} messages per pass, ${ROUNDS} rounds x ${SECONDS}s each, one core, msgs per CPU second (node ${process.version})`);
  console.log(`  fast path (screenSync: rules + classifier) ${fmt(m.screen)} msgs/s   (${(1e6 / m.screen).toFixed(1)} us/msg)`);
  console.log(
    `  rules only (no classifier) ${fmt(m.rules)} msgs/s   classifier costs ${(1e6 / m.screen - 1e6 / m.rules).toFixed(1)} us/msg` +
      (classifier ? ` (${classifier.stats.examples} examples, ${classifier.stats.features} features, trained in ${trainMs.toFixed(0)} ms; screen start-up ${startupMs.toFixed(0)} ms)` : ' (no training data: rules only)'),
  );
  console.log(`  baseline: normalise-only  ${fmt(m.normalise)} msgs/s   screen/baseline = ${(m.screen / m.normalise).toFixed(2)}`);
  console.log(`  baseline: naive regex     ${fmt(m.naive)} msgs/s   screen/naive = ${(m.screen / m.naive).toFixed(2)}`);
  console.log(`  rules path, labelled risk-heavy messages only ${fmt(riskOnly).trim()} msgs/s (rules only, no classifier: ${fmt(riskRulesOnly).trim()} msgs/s)`);
  console.log(
    `  goal ${GOAL.toLocaleString('en-GB')} msgs/s: ${m.screen >= GOAL ? 'MET' : 'NOT MET'} on the mixed corpus (${(m.screen / GOAL).toFixed(2)}x), ${riskOnly >= GOAL ? 'met' : 'NOT met'} on risk-heavy only (${(riskOnly / GOAL).toFixed(2)}x)`,
  );
  console.log(`  one ${long.length.toLocaleString('en-GB')}-character message: ${longMs.toFixed(2)} ms (${longResult.severity})`);
  if (sink === -1) console.log(sink); // keeps the work observable
  await sentenceReadingCost(texts, m.screen);
}

main().catch((error: unknown) => {
  console.error(`bench/safety failed: ${(error as Error).message}`);
  process.exit(1);
});
