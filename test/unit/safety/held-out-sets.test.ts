import fs from 'node:fs';
import { safetyEvalSets } from '../../../scripts/eval-sets';
import { parseEvalSet } from '../../../services/safety/evaluate';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';

describe('held-out evaluation sets', () => {
  // Compared as the classifier reads them (normalised: case, spelling, texting forms) and without
  // clause marks, so a copy with a comma or full stop changed or a curly apostrophe is still a copy.
  const lexicon = loadSafetyLexicon();
  const sameText = (text: string) =>
    lexicon
      .normalise(text)
      .split(' ')
      .filter((word) => word !== '' && word !== '.')
      .join(' ');
  const trainedOn = new Set(lexicon.training!.examples.map((example) => sameText(example.text)));
  const heldOut = safetyEvalSets().filter((set) => set.heldOut);

  it('the sealed sets and the holdouts are all run', () => {
    expect(heldOut.map((set) => set.name)).toEqual(expect.arrayContaining(['nearmiss-holdout', 'blind9', 'blind10']));
    expect(heldOut.filter((set) => set.sealed).length).toBeGreaterThanOrEqual(2);
  });

  it.each(heldOut.map((set) => [set.name, set.file] as const))('no message of %s is in the training data', (name, file) => {
    const items = parseEvalSet(fs.readFileSync(file, 'utf8'), name);
    expect(items.length).toBeGreaterThan(0);
    const leaked = items.filter((item) => trainedOn.has(sameText(item.text)));
    // Counted, never printed: a sealed set's messages stay out of the logs too.
    expect(leaked.length).toBe(0);
  });
});
