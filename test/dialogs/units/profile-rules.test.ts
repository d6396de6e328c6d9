import { addMonths } from '../../../services/content/catalog';
import { ageOn, dateOfReachingAge, parseBirth } from '../../../services/profiles/age';
import { CouncilListError, loadCouncils } from '../../../services/profiles/councils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const today = '2026-11-23';

describe('reading an age or a date of birth', () => {
  it.each([
    ['19', { kind: 'age', age: 19, on: today }],
    ["I'm 19", { kind: 'age', age: 19, on: today }],
    ['nineteen', { kind: 'age', age: 19, on: today }],
    ['twenty one', { kind: 'age', age: 21, on: today }],
    ['14/03/2007', { kind: 'dob', dateOfBirth: '2007-03-14' }],
    ['14-3-2007', { kind: 'dob', dateOfBirth: '2007-03-14' }],
    ['2007-03-14', { kind: 'dob', dateOfBirth: '2007-03-14' }],
    ['14th March 2007', { kind: 'dob', dateOfBirth: '2007-03-14' }],
    ['1 feb 2005', { kind: 'dob', dateOfBirth: '2005-02-01' }],
  ])('%s', (input, birth) => {
    expect(parseBirth(input, today)).toEqual({ ok: true, birth });
  });

  it.each([
    ['old enough', 'unclear'],
    ['31/02/2007', 'unclear'],
    ['14/03/2030', 'unclear'],
    ['12', 'too-young'],
    ['30', 'too-old'],
    ['19 or 20', 'unclear'],
  ])('refuses %s (%s)', (input, problem) => {
    expect(parseBirth(input, today)).toEqual({ ok: false, problem });
  });

  it('grows an age given on a day, and finds the earliest day of an age limit', () => {
    const birth = { kind: 'age' as const, age: 19, on: '2026-11-23' };
    expect(ageOn(birth, '2027-11-23')).toBe(20);
    expect(dateOfReachingAge(birth, 21)).toBe('2027-11-24');
    expect(dateOfReachingAge({ kind: 'dob', dateOfBirth: '2008-02-29' }, 21)).toBe('2029-02-28');
    expect(addMonths('2027-05-31', -3)).toBe('2027-02-28');
  });
});

describe('the councils list', () => {
  const councils = loadCouncils();

  it('holds the 153 English councils with care leaver duties, validated', () => {
    expect(councils.councils).toHaveLength(153);
  });

  it.each([
    ['Leeds', 'leeds'],
    ['leeds city council', 'leeds'],
    ['London Borough of Brent', 'brent'],
    ['Hull', 'kingston-upon-hull'],
    ['BCP', 'bournemouth-christchurch-and-poole'],
    ['st helens', 'st-helens'],
    ['Brighton & Hove', 'brighton-and-hove'],
    ['Kent County Council', 'kent'],
    ['Manchestr', 'manchester'],
    ['Cumberland', 'cumberland'],
  ])('finds %s', (input, id) => {
    const found = councils.find(input);
    expect(found).toMatchObject({ kind: 'match', council: { id } });
  });

  it('offers close matches when a name is ambiguous, and nothing for a made-up place', () => {
    const found = councils.find('Northamptonshire');
    expect(found.kind).toBe('suggestions');
    expect(found.kind === 'suggestions' && found.councils.map((c) => c.id)).toEqual(['north-northamptonshire', 'west-northamptonshire']);
    expect(councils.find('Narnia')).toEqual({ kind: 'none' });
  });

  it('refuses a broken list, naming each problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'councils-'));
    const file = join(dir, 'councils.yaml');
    writeFileSync(
      file,
      [
        'id: councils-test',
        'kind: council-list',
        'title: Test',
        'audience: [care-leaver]',
        'status: draft',
        'author: someone',
        'reviewBy: 2030-01-01',
        'councils:',
        '  - { id: exampleshire, name: Exampleshire, type: county }',
        '  - { id: exampleshire, name: Other, type: county, aliases: [Exampleshire] }',
        '  - { id: Bad Id, name: X, type: planet }',
      ].join('\n'),
    );
    expect(() => loadCouncils(file)).toThrow(CouncilListError);
  });
});
