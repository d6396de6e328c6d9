import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSafetyDir, loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { SafetyLexiconError } from '../../../services/safety/schema';
import { CATEGORIES } from '../../../services/safety/types';

const fixtures = path.join(__dirname, '../../fixtures/safety');
const valid = path.join(fixtures, 'valid');
const broken = (name: string) => path.join(fixtures, 'broken', name);

const made: string[] = [];
/** A copy of the valid fixture set with one broken file added (or put in place of the normalisation). */
function withBroken(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-lexicon-'));
  made.push(dir);
  for (const name of fs.readdirSync(valid)) fs.copyFileSync(path.join(valid, name), path.join(dir, name));
  const target = file.startsWith('normalisation-') ? 'normalisation.yaml' : file;
  fs.copyFileSync(broken(file), path.join(dir, target));
  return dir;
}
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function loadError(dir: string): SafetyLexiconError {
  try {
    loadSafetyLexicon(dir);
  } catch (error) {
    if (error instanceof SafetyLexiconError) return error;
    throw error;
  }
  throw new Error('expected the lexicon to be refused');
}

describe('loadSafetyLexicon', () => {
  it('loads the lexicon that ships, with rules for every category', () => {
    const lexicon = loadSafetyLexicon();
    expect(lexicon.dir).toBe(defaultSafetyDir());
    expect(lexicon.files.length).toBeGreaterThanOrEqual(7);
    expect(lexicon.skipped).toEqual([]);
    for (const category of CATEGORIES.filter((c) => c !== 'none')) {
      expect({ category, rules: lexicon.rules.rulesByCategory[category].length }).toEqual({
        category,
        rules: expect.any(Number),
      });
      expect(lexicon.rules.rulesByCategory[category].length).toBeGreaterThan(0);
    }
    // every pattern can be skipped by the word gate, so the fast path stays fast
    expect(lexicon.rules.gateStats.alwaysRun).toBe(0);
  });

  it('loads a valid fixture set, merging files in name order and leaving drafts out', () => {
    const lexicon = loadSafetyLexicon(valid);
    expect(lexicon.files.map((f) => path.basename(f))).toEqual([
      'normalisation.yaml',
      'lexicon-core.yaml',
      'lexicon-homelessness.yaml',
    ]);
    expect(lexicon.skipped).toEqual([{ file: expect.stringMatching(/lexicon-draft\.yaml$/), status: 'draft' }]);
    expect(lexicon.rules.ruleCount).toBe(3);
    const classify = (text: string) => lexicon.rules.classify(lexicon.normalise(text));
    expect(classify('kms')).toMatchObject({ severity: 'urgent', reasons: ['suicide.kill_self'] });
    expect(classify('sewer slide')).toMatchObject({ severity: 'urgent' });
    expect(classify('im not suicidal')).toMatchObject({ severity: 'medium', reasons: ['suicide.negated'] });
    expect(classify('i could kill for a brew')).toMatchObject({ severity: 'none' });
    expect(classify('sleeping in my car')).toMatchObject({ severity: 'high', category: 'homelessness' });
    expect(classify('draftword')).toMatchObject({ severity: 'none' });
  });

  // One broken fixture per kind of fault: the error names the file and the field.
  it.each([
    ['bad-regex.yaml', /bad-regex\.yaml › rules\.0\.match\.0: invalid regular expression/],
    ['unknown-macro.yaml', /unknown-macro\.yaml › rules\.0\.match\.0: unknown macro \{nothing_here\}/],
    ['empty-match.yaml', /empty-match\.yaml › rules\.0\.match\.0: pattern matches an empty message/],
    ['bad-severity.yaml', /bad-severity\.yaml › lexicon\.rules\.0\.severity: /],
    ['bad-category.yaml', /bad-category\.yaml › lexicon\.rules\.0\.category: /],
    ['misspelt-key.yaml', /misspelt-key\.yaml › lexicon\.rules\.0: .*categroy/],
    // files merge in name order, so the later one (lexicon-core.yaml) is the one reported
    ['duplicate-rule-id.yaml', /lexicon-core\.yaml › rules\.0\.id: rule id "suicide\.kill_self" is already used in .*duplicate-rule-id\.yaml/],
    ['second-about.yaml', /second-about\.yaml › about: "about" is already defined in .*lexicon-core\.yaml/],
    ['top-level-key.yaml', /top-level-key\.yaml › rulez: unknown top-level key/],
    ['missing-body.yaml', /missing-body\.yaml › lexicon: missing/],
    ['same-reviewer.yaml', /same-reviewer\.yaml › reviewer: the reviewer must not be the author/],
    ['http-source.yaml', /http-source\.yaml › sources\.0\.url: /],
    ['wrong-kind.yaml', /wrong-kind\.yaml › kind: must be one of safety-normalisation, safety-lexicon/],
    ['not-yaml.yaml', /not-yaml\.yaml › \(file\): cannot be parsed as YAML/],
    ['normalisation-bad-phrase.yaml', /normalisation\.yaml › normalisation\.phrases\.0\.from: invalid regular expression/],
    ['normalisation-bad-word.yaml', /normalisation\.yaml › normalisation\.words\.kms: lower-case words/],
  ])('refuses %s, naming the file and the field', (file, message) => {
    const error = loadError(withBroken(file));
    expect(error.message).toMatch(/^Safety screen data is invalid: /);
    expect(error.problems.join('\n')).toMatch(message);
  });

  it('reports every fault at once, not just the first', () => {
    const dir = withBroken('bad-regex.yaml');
    fs.copyFileSync(broken('unknown-macro.yaml'), path.join(dir, 'unknown-macro.yaml'));
    const error = loadError(dir);
    expect(error.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/bad-regex\.yaml/), expect.stringMatching(/unknown-macro\.yaml/)]),
    );
  });

  it('refuses a folder without a published normalisation table or lexicon', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-lexicon-'));
    made.push(dir);
    expect(loadError(dir).problems.join('\n')).toMatch(/needs exactly one published safety-normalisation file/);
    fs.copyFileSync(path.join(valid, 'normalisation.yaml'), path.join(dir, 'normalisation.yaml'));
    expect(loadError(dir).problems.join('\n')).toMatch(/needs at least one published safety-lexicon file/);
    expect(loadError(path.join(dir, 'missing')).problems.join('\n')).toMatch(/not found/);
  });
});
