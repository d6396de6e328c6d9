import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';

const { normalise } = loadSafetyLexicon();

describe('normalise', () => {
  it.each([
    // case, accents, punctuation as clause marks
    ['I Want To DIE', 'i want to die'],
    ['Café, naïve… résumé!', 'cafe . naive . resume'],
    // stretched letters
    ['killlll myselfff', 'kill myself'],
    ['soooo lonelyyyy', 'so lonely'],
    ['whyyyy', 'why'],
    // texting forms
    ['u ok? ur not alone rn', 'you ok . your not alone right now'],
    ['im gonna do it tn', 'i am going to do it tonight'],
    ['wanna go out 2nite', 'want to go out tonight'],
    ['i dont care, idc', 'i do not care . i do not care'],
    ['i want 2 die', 'i want to die'],
    ['no food for 2 days', 'no food for 2 days'],
    // algospeak and crisis shorthand
    ['kms', 'kill myself'],
    ['kys', 'kill yourself'],
    ['i wanna unalive myself', 'i want to kill myself'],
    ['thinking about sewer slide', 'thinking about suicide'],
    ['idw2live', 'i do not want to live'],
    ['relapsed on sh', 'relapsed on self harm'],
    ['took an od', 'took an overdose'],
    ['k1ll mys3lf', 'kill myself'],
    // meaningful emoji become words, the rest is dropped
    ['\u{1F48A}\u{1F48A}\u{1F48A}', 'pills pills pills'],
    ['lol \u{1F480}', 'lol lol'],
    ['\u{1F44D}\u{1F389}', ''],
    // control and zero-width characters
    ['i want\u0000 to\u200B die\n\tnow', 'i want to die . now'],
    ['k\u200Bm\u0007s', 'kill myself'],
    ['help\u202Eppp me', 'help me'],
    // dropped g, self-directed algospeak, emoji places (2026-11)
    ['goin the canal in a bit', 'going the canal in a bit'],
    ['my cousin is in the cabin', 'my cousin is in the cabin'],
    ['deleting my acc n then myself', 'deleting my account and then myself'],
    ['gonna delete myself tn', 'going to kill myself tonight'],
    ['deleted myself from the group chat', 'deleted myself from the group chat'],
    ['yeet myself into bed', 'yeet myself into bed'],
    ['gg life', 'kill myself'],
    ['\u{1F309} walkin there rn', 'bridge walking there right now'],
    ['they said theyll wet me up', 'they said they will stab me'],
  ])('%j -> %j', (input, expected) => {
    expect(normalise(input)).toBe(expected);
  });

  it.each([[undefined], [null], [42], [{ text: 'kms' }], [['kms']], ['']])('turns %j into an empty string', (input) => {
    expect(normalise(input)).toBe('');
  });

  it('keeps a very long message linear and complete', () => {
    const long = `${'fine thanks '.repeat(1700)}kms`;
    expect(long.length).toBeGreaterThan(20_000);
    const started = process.hrtime.bigint();
    const out = normalise(long);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
    expect(out.endsWith('kill myself')).toBe(true);
  });
});
