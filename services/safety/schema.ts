import { z } from 'zod';
import { CATEGORIES } from './types';

/**
 * Schemas for the bodies of the moderated safety files (one normalisation table, several lexicon
 * files by category). Each body sits under its own top-level key. Their editorial metadata (id, kind,
 * status, author, reviewer…) is validated separately with `contentMetadataSchema`.
 */

/** Top-level keys that belong to the editorial metadata, not to the body. */
export const METADATA_KEYS = [
  'id',
  'kind',
  'title',
  'audience',
  'keywords',
  'status',
  'author',
  'reviewer',
  'reviewedAt',
  'reviewBy',
  'sources',
] as const;

/** The `kind` of each safety file, and the one top-level key that holds its body. */
export const SAFETY_KINDS = {
  'safety-normalisation': 'normalisation',
  'safety-lexicon': 'lexicon',
  'safety-training': 'training',
} as const;
export type SafetyKind = keyof typeof SAFETY_KINDS;

/** A regular-expression source. Checked for syntax when the file is compiled. */
const patternSource = z.string().min(1, 'an empty pattern would match everything');
const ruleId = z.string().regex(/^[a-z0-9_]+(?:\.[a-z0-9_]+)+$/, 'dotted lower-case id, e.g. suicide.intent');

// ---------------------------------------------------------------- normalisation.yaml

export const normalisationBodySchema = z.strictObject({
  version: z.number().int().positive(),
  symbols: z.record(z.string().min(1), z.string()).default({}),
  repeats: z.strictObject({
    keepDouble: z.string().regex(/^[a-z]*$/, 'lower-case letters only'),
    /** The same, for a run at the end of a word ("myselfff" -> "myself", "killll" -> "kill"). Default: keepDouble. */
    keepDoubleAtEnd: z.string().regex(/^[a-z]*$/, 'lower-case letters only').optional(),
  }),
  leet: z
    .record(z.string().length(1, 'one character'), z.string().regex(/^[a-z]$/, 'one lower-case letter'))
    .default({}),
  words: z.record(
    z.string().regex(/^[\p{L}\p{N}']+$/u, 'a single word (letters, digits, apostrophes)'),
    z.string().regex(/^[a-z0-9' ]*$/, 'lower-case words'),
  ),
  phrases: z
    .array(
      z.strictObject({
        from: patternSource,
        to: z.string(),
      }),
    )
    .default([]),
});
export type NormalisationBody = z.infer<typeof normalisationBodySchema>;

// ---------------------------------------------------------------- lexicon-*.yaml

const riskCategory = z.enum(CATEGORIES).exclude(['none']);

const matchEntry = z.union([
  patternSource,
  z.strictObject({
    all: z.array(patternSource).min(2, 'an "all" entry needs at least two patterns'),
  }),
]);

export const ruleSchema = z.strictObject({
  id: ruleId,
  severity: z.enum(['urgent', 'high', 'medium']),
  category: riskCategory,
  /** Any entry matching fires the rule. A string is one pattern; `all` needs every pattern. */
  match: z.array(matchEntry).min(1),
  /** The rule does not fire when any of these match the (neutralised) message. */
  unless: z.array(patternSource).default([]),
  /**
   * Who is at risk in the matched words: the grammatical `subject` ("she is going to hurt
   * herself", "my nephew is sleeping rough") or the `object` ("he hits me", "they make me hold
   * stuff"), where the subject is whoever does the harm and is ignored.
   */
  atRisk: z.enum(['subject', 'object']).default('subject'),
  /**
   * The classifier never stands this rule's result down, however sure it is that the message is
   * benign: for harm that is said lightly as often as not and is too dangerous to miss (strangling).
   */
  neverStoodDown: z.boolean().default(false),
  note: z.string().optional(),
});
export type LexiconRule = z.infer<typeof ruleSchema>;

export const neutraliserSchema = z.strictObject({
  id: ruleId,
  pattern: patternSource,
  /** Word left in place of the match (empty: removed). Rules may match the marker. */
  marker: z.string().regex(/^[a-z_]*$/, 'lower-case letters and _ only').default(''),
  /** The neutraliser does not run when any of these match the message as it stands then. */
  unless: z.array(patternSource).default([]),
  note: z.string().optional(),
});

export const aboutSchema = z.strictObject({
  /** In the matched words: the person at risk is the writer. */
  firstPerson: patternSource,
  /** In the matched words: the person at risk is someone else. */
  thirdPerson: patternSource,
  /** Words like "told me" that do not make the writer the person at risk. */
  reporting: patternSource,
  /** Words naming whoever does the harm ("he", "they", "someone"), ignored by `atRisk: object` rules. */
  agents: patternSource.optional(),
  /** Who is the subject of the clause just before the match: writer? */
  subjectSelf: patternSource,
  /** … or someone else? */
  subjectOther: patternSource,
  /** Framing that says the whole message is about someone else (a worried adult). */
  thirdParty: z.array(patternSource).default([]),
});

/**
 * The body of ONE lexicon file (under its `lexicon:` key). The lexicon is split by category over
 * several files; they are merged in file-name order: macros are shared (a name may be defined
 * once), neutralisers run in file order, `about` is defined by exactly one file, rule ids are
 * unique across all files.
 */
export const lexiconBodySchema = z
  .strictObject({
    version: z.number().int().positive(),
    /** Named regex fragments, used in patterns as {name}. They may use other macros. */
    macros: z.record(z.string().regex(/^[a-z_]+$/, 'lower-case macro name'), z.string().min(1)).default({}),
    /** Idioms, negations, accidents and topic mentions taken out before the rules run. */
    neutralise: z.array(neutraliserSchema).default([]),
    about: aboutSchema.optional(),
    rules: z.array(ruleSchema).default([]),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: `duplicate rule id "${rule.id}" (also rules.${first}.id)`,
        });
      } else seen.set(rule.id, index);
    });
  });
export type LexiconBody = z.infer<typeof lexiconBodySchema>;
export type AboutConfig = z.infer<typeof aboutSchema>;

// ---------------------------------------------------------------- training-*.yaml

/** The labels of the training examples (the same four as the eval sets). */
export const TRAINING_LABELS = ['urgent', 'safeguarding', 'concern', 'benign'] as const;
export type TrainingLabel = (typeof TRAINING_LABELS)[number];

export const trainingExampleSchema = z.strictObject({
  label: z.enum(TRAINING_LABELS),
  text: z.string().trim().min(1, 'an empty training example'),
  /** The category a person would give it (optional; urgent/safeguarding/concern only). */
  category: riskCategory.optional(),
});
export type TrainingExample = z.infer<typeof trainingExampleSchema>;

/**
 * The classifier's settings (services/safety/classifier.ts). Exactly one published training file
 * holds them. The thresholds are log2-odds cut-offs chosen by k-fold cross-validation
 * (services/safety/classifier-cv.ts).
 */
export const classifierSettingsSchema = z.strictObject({
  /** Additive smoothing of the naive Bayes counts. */
  smoothing: z.number().positive().max(5),
  /** Features: word unigrams and bigrams, plus word prefixes of this many letters (0: none). */
  prefixLength: z.number().int().min(0).max(12),
  /** L2 penalty of the logistic regression, on the mean log loss. */
  l2: z.number().positive().max(1).default(0.00001),
  /** Passes of stochastic gradient descent over the training examples. */
  epochs: z.number().int().min(1).max(200).default(20),
  /** Weight of the naive Bayes log2 odds added to the logistic regression's (0: logistic regression alone). */
  bayesWeight: z.number().min(0).max(5).default(0.33),
  /**
   * Word-cluster features (services/safety/word-clusters.tsv): per known word its coarse cluster
   * (c:), its fine cluster (f:), and coarse-cluster bigrams inside a clause (cb:). Absent: none.
   */
  clusters: z
    .strictObject({
      coarse: z.boolean().default(false),
      fine: z.boolean().default(false),
      bigrams: z.boolean().default(false),
    })
    .optional(),
  /**
   * When the classifier may stand a rules result down: a result at or below `upTo` (never urgent)
   * becomes none when the classifier gives the message at least 2^`benignOdds` to 1 of being benign,
   * in the whole message and in every `window`-word stretch of it (so a risk buried in a long,
   * cheerful message is judged on its own words). Absent: the classifier only raises.
   */
  standDown: z
    .strictObject({
      upTo: z.enum(['medium', 'high']),
      benignOdds: z.number().min(4).max(20),
      window: z.number().int().min(4).max(64),
    })
    .optional(),
  /**
   * The sentence reading (sentence-reading.ts): a message of at least `minWords` words (normalised)
   * that the classifier leans towards urgent (log2 odds at or above `consultFrom`) but does not
   * call urgent is read again by a sentence encoder, and raised to urgent when that reading gives
   * it at least `raiseAt` probability of being urgent. Absent: no sentence reading.
   *
   * `standDownUrgent`: an urgent rules result (never a medical emergency, never one the classifier
   * raised) becomes none only when both learned readings are sure the message is benign: the
   * classifier at 2^`benignOdds` to 1 in the whole message and in every stretch (`standDown.window`
   * words), and the sentence reading at `benignAt` or more. Absent: urgent is never stood down.
   */
  sentenceReading: z
    .strictObject({
      consultFrom: z.number().min(-30).max(30),
      raiseAt: z.number().gt(0.5).max(1),
      minWords: z.number().int().min(1).max(50),
      standDownUrgent: z
        .strictObject({
          benignOdds: z.number().min(6).max(30),
          benignAt: z.number().gt(0.5).max(1),
        })
        .optional(),
    })
    .optional(),
  thresholds: z.strictObject({
    /** log2 odds that the message is urgent, at or above which the classifier says urgent. */
    urgent: z.number(),
    /** log2 odds that it is urgent or safeguarding, at or above which it says high. */
    safeguarding: z.number(),
    /** log2 odds that it is any risk, at or above which it says medium. */
    concern: z.number(),
  }),
});
export type ClassifierSettings = z.infer<typeof classifierSettingsSchema>;

/** Settings that only work together (the classifier's settings as a published training file holds them). */
export const classifierSettingsRefined = classifierSettingsSchema.refine((settings) => !settings.sentenceReading?.standDownUrgent || settings.standDown, {
  message: 'sentenceReading.standDownUrgent needs standDown (its window is the stretch length)',
  path: ['sentenceReading', 'standDownUrgent'],
});

export const trainingBodySchema = z
  .strictObject({
    version: z.number().int().positive(),
    classifier: classifierSettingsRefined.optional(),
    examples: z.array(trainingExampleSchema).default([]),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.examples.forEach((example, index) => {
      if (example.label === 'benign' && example.category !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['examples', index, 'category'], message: 'a benign example has no category' });
      }
      const key = example.text.toLowerCase().replace(/\s+/g, ' ');
      const first = seen.get(key);
      if (first !== undefined) {
        const other = body.examples[first]!;
        ctx.addIssue({
          code: 'custom',
          path: ['examples', index, 'text'],
          message:
            other.label === example.label
              ? `duplicate example (also examples.${first})`
              : `the same text is labelled "${other.label}" at examples.${first} and "${example.label}" here`,
        });
      } else seen.set(key, index);
    });
  });
export type TrainingBody = z.infer<typeof trainingBodySchema>;

/** One validated lexicon file, as the rules compiler takes it. */
export interface LexiconPart {
  /** Where it came from (relative path), for error messages. */
  file: string;
  body: LexiconBody;
}

/** A safety data file failed to parse, validate or compile. Names the file and each field. */
export class SafetyLexiconError extends Error {
  constructor(
    /** The file (or, when several files are at fault, the folder) that is invalid. */
    readonly file: string,
    /** One line per fault, each naming the field ("rules.3.match.0: invalid regular expression…"). */
    readonly problems: string[],
  ) {
    super(`Safety screen data is invalid: ${file}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SafetyLexiconError';
  }
}
