import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { contentMetadataSchema } from '../content/metadata';
import { projectRoot } from '../project-root';
import { createNormaliser, type Normalise } from './normalise';
import { compileRules, type CompileOptions, type RulesClassifier } from './rules';
import {
  lexiconBodySchema,
  METADATA_KEYS,
  normalisationBodySchema,
  SAFETY_KINDS,
  SafetyLexiconError,
  trainingBodySchema,
  type ClassifierSettings,
  type LexiconBody,
  type TrainingBody,
  type TrainingExample,
  type LexiconPart,
  type NormalisationBody,
  type SafetyKind,
} from './schema';

/**
 * Reads the safety screen's moderated data (content/safety/*.yaml) and compiles it once:
 * one `safety-normalisation` file and one or more `safety-lexicon` files (a core file with the
 * shared macros, neutralisers and `about`, plus one file per category).
 *
 * Every file is validated in full (editorial metadata with `contentMetadataSchema`, the body
 * under its own key with the zod schemas in schema.ts, every regular expression compiled) and
 * every fault is reported at once, naming the file and the field. Nothing is silently skipped
 * except files whose status is not `published` (listed in `skipped`).
 */
export interface SafetyLexicon {
  /** The folder it was read from. */
  readonly dir: string;
  /** The files in use, relative to the working directory, in the order they were merged. */
  readonly files: readonly string[];
  /** Files not in use because they are not published (draft, in review, retired). */
  readonly skipped: ReadonlyArray<{ file: string; status: string }>;
  readonly normalise: Normalise;
  readonly rules: RulesClassifier;
  /**
   * The learned classifier's moderated training data (`safety-training` files), or null when the
   * folder has none (then the screen is rules only).
   */
  readonly training: SafetyTrainingData | null;
}

export interface SafetyTrainingData {
  /** The training files in use, in name order. */
  readonly files: readonly string[];
  readonly settings: ClassifierSettings;
  readonly examples: readonly TrainingExample[];
}

export function defaultSafetyDir(): string {
  return path.join(projectRoot, 'content', 'safety');
}

interface ParsedFile {
  file: string;
  kind: SafetyKind;
  status: string;
  body: NormalisationBody | LexiconBody | TrainingBody;
}

const YAML_EXT = /\.ya?ml$/i;
const README = /^readme(\.|$)/i;

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || README.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYamlFiles(full));
    else if (entry.isFile() && YAML_EXT.test(entry.name)) out.push(full);
  }
  return out;
}

function issuePath(prefix: string, issuePathParts: ReadonlyArray<PropertyKey>): string {
  const parts = [prefix, ...issuePathParts.map(String)].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('.') : '(file)';
}

/**
 * Validates the parsed YAML of one safety file. Returns the body, or pushes "field: message"
 * problems. Exported for tests and for the content check.
 */
export function validateSafetyFile(
  data: unknown,
  file: string,
  problems: string[],
): Omit<ParsedFile, 'file'> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push('(file): must hold a mapping of keys (id, kind, title, …, and the body)');
    return null;
  }
  const record = data as Record<string, unknown>;
  const kind = record['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(SAFETY_KINDS, kind)) {
    problems.push(`kind: must be one of ${Object.keys(SAFETY_KINDS).join(', ')} (found ${JSON.stringify(kind)})`);
    return null;
  }
  const safetyKind = kind as SafetyKind;
  const bodyKey = SAFETY_KINDS[safetyKind];

  const metadata: Record<string, unknown> = {};
  for (const key of METADATA_KEYS) if (key in record) metadata[key] = record[key];
  const meta = contentMetadataSchema.safeParse(metadata);
  if (!meta.success) {
    for (const issue of meta.error.issues) problems.push(`${issuePath('', issue.path)}: ${issue.message}`);
  }
  for (const key of Object.keys(record)) {
    if (key !== bodyKey && !(METADATA_KEYS as readonly string[]).includes(key)) {
      problems.push(`${key}: unknown top-level key (a ${safetyKind} file has the metadata keys and "${bodyKey}")`);
    }
  }
  if (!(bodyKey in record)) {
    problems.push(`${bodyKey}: missing (a ${safetyKind} file keeps its body under "${bodyKey}:")`);
    return null;
  }
  const schema =
    safetyKind === 'safety-normalisation'
      ? normalisationBodySchema
      : safetyKind === 'safety-training'
        ? trainingBodySchema
        : lexiconBodySchema;
  const body = schema.safeParse(record[bodyKey]);
  if (!body.success) {
    for (const issue of body.error.issues) problems.push(`${issuePath(bodyKey, issue.path)}: ${issue.message}`);
    return null;
  }
  if (!meta.success) return null;
  return { kind: safetyKind, status: meta.data.status, body: body.data };
}

/** Reads, validates and compiles the safety data in `dir` (default content/safety). Throws SafetyLexiconError. */
export function loadSafetyLexicon(dir: string = defaultSafetyDir(), options: CompileOptions = {}): SafetyLexicon {
  const shown = (absolute: string) => path.relative(process.cwd(), absolute) || absolute;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new SafetyLexiconError(shown(dir), ['(folder): not found, or not a folder']);
  }
  const all: Array<{ file: string; text: string }> = [];
  const parsed: ParsedFile[] = [];
  const ids = new Map<string, string>();

  for (const absolute of listYamlFiles(dir)) {
    const file = shown(absolute);
    const problems: string[] = [];
    let data: unknown;
    try {
      data = YAML.parse(fs.readFileSync(absolute, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    } catch (error) {
      problems.push(`(file): cannot be parsed as YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (problems.length === 0) {
      const result = validateSafetyFile(data, file, problems);
      if (result) parsed.push({ file, ...result });
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        const earlier = ids.get(id);
        if (earlier) problems.push(`id: "${id}" is already used by ${earlier}`);
        else ids.set(id, file);
      }
    }
    for (const p of problems) all.push({ file, text: `${file} › ${p}` });
  }

  const skipped = parsed.filter((p) => p.status !== 'published').map((p) => ({ file: p.file, status: p.status }));
  const live = parsed.filter((p) => p.status === 'published');
  const normalisation = live.filter((p) => p.kind === 'safety-normalisation');
  const lexicon = live.filter((p) => p.kind === 'safety-lexicon');
  const folder = shown(dir);
  if (all.length === 0) {
    if (normalisation.length !== 1) {
      all.push({
        file: folder,
        text: `${folder}: needs exactly one published safety-normalisation file (found ${normalisation.map((p) => p.file).join(', ') || 'none'})`,
      });
    }
    if (lexicon.length === 0) all.push({ file: folder, text: `${folder}: needs at least one published safety-lexicon file` });
  }
  const trainingFiles = live.filter((p) => p.kind === 'safety-training');
  const training = mergeTraining(trainingFiles, folder, all);
  if (all.length > 0) {
    const files = new Set(all.map((p) => p.file));
    throw new SafetyLexiconError(files.size === 1 ? [...files][0]! : folder, all.map((p) => p.text));
  }

  const table = normalisation[0]!;
  const normalise = createNormaliser(table.body as NormalisationBody, table.file);
  const parts: LexiconPart[] = lexicon.map((p) => ({ file: p.file, body: p.body as LexiconBody }));
  const rules = compileRules(parts, folder, options);
  return {
    dir,
    files: [table.file, ...parts.map((p) => p.file), ...(training?.files ?? [])],
    skipped,
    normalise,
    rules,
    training,
  };
}

/**
 * Merges the published training files: exactly one holds the classifier settings, every label
 * has examples, and no text is labelled twice across files. Faults are pushed to `all`.
 */
function mergeTraining(
  files: readonly ParsedFile[],
  folder: string,
  all: Array<{ file: string; text: string }>,
): SafetyTrainingData | null {
  if (files.length === 0) return null;
  const withSettings = files.filter((p) => (p.body as TrainingBody).classifier !== undefined);
  if (withSettings.length !== 1) {
    all.push({
      file: folder,
      text: `${folder}: exactly one published safety-training file must hold the classifier settings under training.classifier (found ${withSettings.map((p) => p.file).join(', ') || 'none'})`,
    });
    return null;
  }
  const examples: TrainingExample[] = [];
  const seen = new Map<string, { file: string; index: number; label: string }>();
  for (const part of files) {
    (part.body as TrainingBody).examples.forEach((example, index) => {
      const key = example.text.toLowerCase().replace(/\s+/g, ' ');
      const earlier = seen.get(key);
      if (earlier && earlier.file !== part.file) {
        all.push({
          file: part.file,
          text: `${part.file} › training.examples.${index}.text: ${earlier.label === example.label ? 'duplicate of' : `labelled "${example.label}" here but "${earlier.label}" in`} ${earlier.file} (examples.${earlier.index})`,
        });
        return;
      }
      seen.set(key, { file: part.file, index, label: example.label });
      examples.push(example);
    });
  }
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  for (const label of ['urgent', 'safeguarding', 'concern', 'benign']) {
    if ((counts.get(label) ?? 0) < 5) {
      all.push({ file: folder, text: `${folder}: the training data needs at least 5 "${label}" examples (found ${counts.get(label) ?? 0})` });
    }
  }
  if (all.length > 0) return null;
  return { files: files.map((p) => p.file), settings: (withSettings[0]!.body as TrainingBody).classifier!, examples };
}
