import { createSafetyScreen, type SafetyScreen } from '../../../services/safety/pipeline';
import type { About, Category, Severity } from '../../../services/safety/types';

/**
 * The rules path, table by table: [message, severity, category, about]. Written for the meaning
 * (texting forms, slang, misspellings), and kept apart from the evaluation sets in test/eval.
 */
const screen = createSafetyScreen();

type Row = [text: string, severity: Severity, category: Category, about: About];

function expectScreened(by: SafetyScreen, [text, severity, category, about]: Row): void {
  const result = by.screenSync(text);
  expect({ text, severity: result.severity, category: result.category, about: result.about }).toEqual({
    text,
    severity,
    category,
    about,
  });
  expect(result.needsCrisisSignposting).toBe(severity === 'urgent');
  if (severity === 'none') expect(result.reasons).toEqual([]);
  else expect(result.reasons.length).toBeGreaterThan(0);
}

function check(row: Row): void {
  expectScreened(screen, row);
}

describe('suicide and self-harm: urgent', () => {
  it.each<Row>([
    ['i want 2 die', 'urgent', 'suicide_self_harm', 'self'],
    ['i dnt wanna live no more', 'urgent', 'suicide_self_harm', 'self'],
    ["I don't want to be alive", 'urgent', 'suicide_self_harm', 'self'],
    ['everyone would be better off without me', 'urgent', 'suicide_self_harm', 'self'],
    ['i just want to go to sleep and never wake up', 'urgent', 'suicide_self_harm', 'self'],
    ["i've taken all my pills", 'urgent', 'suicide_self_harm', 'self'],
    ['ive got a bottle of paracetamol and im going to take them all tonight', 'urgent', 'suicide_self_harm', 'self'],
    ['i cant stop hurting myself', 'urgent', 'suicide_self_harm', 'self'],
    ['thinking about killing myself again', 'urgent', 'suicide_self_harm', 'self'],
    ['i wanna kms so bad', 'urgent', 'suicide_self_harm', 'self'],
    ['gonna unalive myself', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm gonna top myself", 'urgent', 'suicide_self_harm', 'self'],
    ['been thinking about sewer slide', 'urgent', 'suicide_self_harm', 'self'],
    ['idw2live', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm on the roof and i'm going to jump", 'urgent', 'suicide_self_harm', 'self'],
    ['i want to walk into traffic', 'urgent', 'suicide_self_harm', 'self'],
    ["whats the quickest way to die", 'urgent', 'suicide_self_harm', 'self'],
    ['im not going to be around for much longer', 'urgent', 'suicide_self_harm', 'self'],
    ['i relapsed and cut really deep', 'urgent', 'suicide_self_harm', 'self'],
    ["i've been scratching my legs with a razor", 'urgent', 'suicide_self_harm', 'self'],
    ['the voices keep telling me to kill myself', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm not safe from myself tonight", 'urgent', 'suicide_self_harm', 'self'],
    ["i can't go on any more", 'urgent', 'suicide_self_harm', 'self'],
    ['i am a burden to everyone', 'urgent', 'suicide_self_harm', 'self'],
    // idioms and negations next to real risk do not hide it
    ['this essay is killing me and i want to die', 'urgent', 'suicide_self_harm', 'self'],
    ["i don't want to die but i can't stop cutting", 'urgent', 'suicide_self_harm', 'self'],
  ])('%j', (...row) => check(row));
});

describe('someone else at risk (a trusted adult or friend writing)', () => {
  it.each<Row>([
    ["I'm worried about Sam, he said he wants to end it", 'urgent', 'suicide_self_harm', 'other'],
    ['my son says he wants to die', 'urgent', 'suicide_self_harm', 'other'],
    ['my sister said she wants to end her life', 'urgent', 'suicide_self_harm', 'other'],
    ['my foster son has been self harming', 'urgent', 'suicide_self_harm', 'other'],
    ['my girlfriend took a load of pills and won\'t wake up', 'urgent', 'suicide_self_harm', 'other'],
    ["i'm a foster carer and my young person said she wants to die", 'urgent', 'suicide_self_harm', 'other'],
    ["my dad's hitting my mum and i'm scared", 'urgent', 'harm_from_others', 'other'],
    ['I think her boyfriend is hitting her', 'high', 'harm_from_others', 'other'],
    ['my nephew is sleeping rough', 'high', 'homelessness', 'other'],
    ["i'm worried about my son, he seems really down", 'medium', 'mental_health', 'other'],
  ])('%j', (...row) => check(row));
});

describe('about: the subject is read before the matched words, never from them', () => {
  // Matched words starting "is", "it", "if", "in" once read as the subject "i" (about the writer).
  it.each<Row>([
    ["my foster daughter seems withdrawn and isn't eating", 'medium', 'mental_health', 'other'],
    ["my mate took a load of pills and isn't waking up", 'urgent', 'suicide_self_harm', 'other'],
    ["he's been up all night and isn't eating", 'medium', 'mental_health', 'other'],
    ["i've been up all night and i'm not eating", 'medium', 'mental_health', 'self'],
  ])('%j', (...row) => check(row));
});

describe('harm from others', () => {
  it.each<Row>([
    ["he's got a knife and he's outside my door", 'urgent', 'harm_from_others', 'self'],
    ['someone is trying to break into my flat right now', 'urgent', 'harm_from_others', 'self'],
    ['he just punched me and my nose is bleeding', 'urgent', 'harm_from_others', 'self'],
    ['my partner is strangling me', 'urgent', 'harm_from_others', 'self'],
    ["they're gonna kill me, they're outside", 'urgent', 'harm_from_others', 'self'],
    ['he hits me', 'high', 'harm_from_others', 'self'],
    ['my stepdad hurts me', 'high', 'harm_from_others', 'self'],
    ['he grabbed me by the throat last week', 'high', 'harm_from_others', 'self'],
    ['he threatened to kill me if i leave him', 'high', 'harm_from_others', 'self'],
    ["he's really controlling, he checks my phone and won't let me go out", 'high', 'harm_from_others', 'self'],
    ['someone raped me at a party', 'high', 'harm_from_others', 'self'],
    ['i think someone spiked me at the club', 'high', 'harm_from_others', 'self'],
    ["i'm scared of my partner", 'high', 'harm_from_others', 'self'],
    ["i don't feel safe at home", 'high', 'harm_from_others', 'self'],
    ['people keep telling me to kys', 'high', 'harm_from_others', 'self'],
    ['a man followed me home and now waits outside', 'high', 'harm_from_others', 'self'],
    ["i'm getting bullied at college", 'medium', 'harm_from_others', 'self'],
  ])('%j', (...row) => check(row));
});

describe('exploitation', () => {
  it.each<Row>([
    ['makes me hold stuff for him', 'high', 'exploitation', 'self'],
    ['they make me sell for them', 'high', 'exploitation', 'self'],
    ['these lads made me carry a bag to another town', 'high', 'exploitation', 'self'],
    ['i got asked to run a county line', 'high', 'exploitation', 'self'],
    ['older guys keep buying me stuff and now say i owe them', 'high', 'exploitation', 'self'],
    ['some men are using my flat to deal from', 'high', 'exploitation', 'self'],
    ['a guy online is blackmailing me with my pics', 'high', 'exploitation', 'self'],
    ['they took my passport and i work for nothing', 'high', 'exploitation', 'self'],
  ])('%j', (...row) => check(row));
});

describe('homelessness', () => {
  it.each<Row>([
    ['kicked out sleeping outside tonight', 'high', 'homelessness', 'self'],
    ["i've got nowhere to sleep", 'high', 'homelessness', 'self'],
    ["i'm staying in my car tonight", 'high', 'homelessness', 'self'],
    ['my landlord chucked me out', 'high', 'homelessness', 'self'],
    ["i've been sofa surfing for weeks", 'high', 'homelessness', 'self'],
    ['i have to be out of my flat by friday', 'high', 'homelessness', 'self'],
    ['i might get evicted', 'medium', 'homelessness', 'self'],
  ])('%j', (...row) => check(row));
});

describe('destitution', () => {
  it.each<Row>([
    ['no food for 3 days', 'high', 'destitution', 'self'],
    ['gas and electric cut off', 'high', 'destitution', 'self'],
    ["my electric's run out and i can't top up", 'high', 'destitution', 'self'],
    ['i cant feed my kids', 'high', 'destitution', 'self'],
    ["the baby's out of formula and i'm skint", 'high', 'destitution', 'self'],
    ['no heating and i\'m freezing, no money for the meter', 'high', 'destitution', 'self'],
    ["i'm behind with my council tax", 'medium', 'destitution', 'self'],
    ['my universal credit got sanctioned', 'medium', 'destitution', 'self'],
  ])('%j', (...row) => check(row));
});

describe('mental health: medium, no crisis signposting', () => {
  it.each<Row>([
    ['i feel so depressed', 'medium', 'mental_health', 'self'],
    ["i'm lonely", 'medium', 'mental_health', 'self'],
    ['i keep having panic attacks', 'medium', 'mental_health', 'self'],
    ["i've been smoking a lot of weed to cope", 'medium', 'mental_health', 'self'],
    ["i'm in a really dark place", 'medium', 'mental_health', 'self'],
    ["i'm not coping", 'medium', 'mental_health', 'self'],
  ])('%j', (...row) => check(row));
});

describe('negation: raised but denied is a worry, never urgent', () => {
  it.each<Row>([
    ["I'm not suicidal just tired", 'medium', 'suicide_self_harm', 'self'],
    ["i'd never kill myself but i'm struggling", 'medium', 'suicide_self_harm', 'self'],
    ["I'm not gonna do anything stupid", 'medium', 'suicide_self_harm', 'self'],
    ['i used to self harm when i was younger', 'medium', 'suicide_self_harm', 'self'],
    ["i'm not lonely, i've got loads of mates", 'none', 'none', 'self'],
    ["i'm not homeless anymore, got my own flat", 'none', 'none', 'self'],
  ])('%j', (...row) => check(row));
});

describe('idioms and everyday messages: nothing to act on', () => {
  it.each<Row>([
    ['this essay is killing me', 'none', 'none', 'self'],
    ["I'd kill for a pizza", 'none', 'none', 'self'],
    ['dying to see it', 'none', 'none', 'self'],
    ['lol I nearly died laughing', 'none', 'none', 'self'],
    ['my phone is about to die', 'none', 'none', 'self'],
    ['my mum will kill me lol', 'none', 'none', 'self'],
    ["my mum's going to kill me when she sees my phone bill", 'none', 'none', 'self'],
    ["i'd rather die than go to that party lol", 'none', 'none', 'self'],
    ['i want to die my hair pink', 'none', 'none', 'self'],
    ['i cut myself shaving', 'none', 'none', 'self'],
    ['i burned my hand on the iron', 'none', 'none', 'self'],
    ['the game kicked me out of the lobby', 'none', 'none', 'self'],
    ['i got shot down by a girl lol', 'none', 'none', 'self'],
    ['hit me up later', 'none', 'none', 'self'],
    ['he pushed me to apply for uni and i got in!', 'none', 'none', 'self'],
    ['my team got battered 5-0', 'none', 'none', 'self'],
    ["i'm starving, what's for tea", 'none', 'none', 'self'],
    ['no food in the house, going tesco', 'none', 'none', 'self'],
    ['i have to leave the house by 7 tomorrow for work', 'none', 'none', 'self'],
    ["i'm sleeping at my mates tonight", 'none', 'none', 'self'],
    ['what happens if i get evicted', 'none', 'none', 'self'],
    ['we watched a documentary about suicide prevention at college', 'none', 'none', 'self'],
    ['our teacher talked about self-harm awareness in PSHE today', 'none', 'none', 'self'],
    ['volunteering at the food bank on saturday', 'none', 'none', 'self'],
    ['how many paracetamol can i take in a day', 'none', 'none', 'self'],
    // Nerves that stop someone sleeping or eating are a concern (ordinary nerves: below).
    ["can't stop panicking about my exams, haven't slept in days", 'medium', 'mental_health', 'self'],
    ['so anxious about my resit i feel sick all the time', 'medium', 'mental_health', 'self'],
    ['i gave up smoking last month!', 'none', 'none', 'self'],
    ['i could murder a kebab', 'none', 'none', 'self'],
    ['going to hang out at the park', 'none', 'none', 'self'],
    ['export my data', 'none', 'none', 'self'],
  ])('%j', (...row) => check(row));

  // Ordinary nerves before an exam: the writers of our labelled sets disagree (an early blind set
  // said concern; the fifth session's more-voices set and the seventh's everyday set said benign),
  // so the classifier sits on the line and moves with the data. Either way it is never more than
  // a word to the PA at the next contact.
  it('ordinary exam nerves are at most a concern for the next contact', () => {
    const result = screen.screenSync('a bit anxious about my exam tomorrow');
    expect(['none', 'medium']).toContain(result.severity);
    expect(result.category).toBe(result.severity === 'none' ? 'none' : 'mental_health');
  });
});

// Classes of message the first holdout measurement showed were missed, in new wording (the holdout
// strings themselves are not copied here).
describe('classes added after the holdout measurement', () => {
  it.each<Row>([
    // a denial only counts when it is the risk being denied
    ["i'm not okay, i want to die", 'urgent', 'suicide_self_harm', 'self'],
    ['not fine at all, i want to kill myself', 'urgent', 'suicide_self_harm', 'self'],
    ['i might do something stupid tonight', 'urgent', 'suicide_self_harm', 'self'],
    ['worked out how i could do it', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm going to swallow all the pills i have", 'urgent', 'suicide_self_harm', 'self'],
    ["i wish i hadn't woken up", 'urgent', 'suicide_self_harm', 'self'],
    ['been banging my head on the floor until it bleeds', 'urgent', 'suicide_self_harm', 'self'],
    ['there are new cuts on my legs', 'urgent', 'suicide_self_harm', 'self'],
    ["my friend texted me goodbye and she isn't picking up", 'urgent', 'suicide_self_harm', 'other'],
    ["finished my letters for my family, it's time", 'urgent', 'suicide_self_harm', 'self'],
    ['my son keeps going missing and comes home with new clothes', 'high', 'exploitation', 'other'],
    ['he pays for everything and now wants something in return', 'high', 'exploitation', 'self'],
    ['she is 15 and her older boyfriend gives her money', 'high', 'exploitation', 'other'],
    ["he said he'll break my legs", 'high', 'harm_from_others', 'self'],
    ["i haven't got anybody to talk to", 'medium', 'mental_health', 'self'],
    ["i haven't got any mates here", 'medium', 'mental_health', 'self'],
    ['nobody ever asks how i am', 'medium', 'mental_health', 'self'],
    ['weekends are really lonely', 'medium', 'mental_health', 'self'],
    ['i feel sad every single day', 'medium', 'mental_health', 'self'],
    ['sick of feeling this way', 'medium', 'mental_health', 'self'],
    ["scared i won't be able to pay my bills this month", 'medium', 'destitution', 'self'],
    ["i haven't got any gas or electric", 'high', 'destitution', 'self'],
    ['writing my dissertation on county lines', 'none', 'none', 'self'],
    ['my essay is on domestic violence services', 'none', 'none', 'self'],
  ])('%j', (...row) => check(row));
});

describe('bad input never throws and never escalates by accident', () => {
  it.each<[string, unknown]>([
    ['empty', ''],
    ['spaces', '    '],
    ['only emoji', '\u{1F602}\u{1F602}\u{1F44D}\u{1F389}'],
    ['control characters', '\u0000\u0001\u0007\u001b[31m\u007f'],
    ['zero-width characters', '\u200B\u200C\u200D\uFEFF'],
    ['right-to-left marks', '\u202E\u202Dhello'],
    ['a lone surrogate', '\uD83D'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { text: 'kms' }],
    ['an array', ['kms']],
  ])('%s', async (_name, input) => {
    const sync = screen.screenSync(input as string);
    expect(sync).toEqual({ severity: 'none', category: 'none', reasons: [], about: 'self', needsCrisisSignposting: false });
    await expect(screen.screen(input as string)).resolves.toEqual(sync);
  });

  it('screens all of a 20,000-character message, quickly', () => {
    const filler = 'had a nice day at college and then went to the shop for some bread. ';
    const long = `${filler.repeat(Math.ceil(20_000 / filler.length))}i want to kill myself`;
    expect(long.length).toBeGreaterThan(20_000);
    const started = process.hrtime.bigint();
    expect(screen.screenSync(long)).toMatchObject({ severity: 'urgent', category: 'suicide_self_harm' });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
    expect(screen.screenSync(filler.repeat(300))).toMatchObject({ severity: 'none' });
  });

  it('catches risk hidden in shouting, stretching, emoji and leetspeak', () => {
    expect(screen.screenSync('I WANT TO DIEEEEE \u{1F62D}\u{1F62D}')).toMatchObject({ severity: 'urgent' });
    expect(screen.screenSync('k1ll mys3lf')).toMatchObject({ severity: 'urgent' });
    expect(screen.screenSync('taking all my \u{1F48A} tonight')).toMatchObject({ severity: 'urgent' });
  });

  it('gives reasons as rule ids only, never message text', () => {
    const result = screen.screenSync('my boyfriend hits me and i have nowhere to stay tonight');
    expect(result.severity).toBe('high');
    for (const reason of result.reasons) expect(reason).toMatch(/^[a-z0-9_]+(?:\.[a-z0-9_]+)+$/);
    expect(result.reasons.join(' ')).not.toMatch(/boyfriend|nowhere/);
  });

  it('names harm before homelessness when both are high', () => {
    expect(screen.screenSync('my boyfriend hits me and i have nowhere to stay tonight')).toMatchObject({
      category: 'harm_from_others',
      reasons: expect.arrayContaining(['harm.physical', 'homeless.now']),
    });
  });
});

describe('concept coverage (2026-05): meaning, not strings', () => {
  it.each<Row>([
    ['necked a whole strip of my sertraline','urgent','suicide_self_harm','self'],
    ['how many propranolol would it take to not wake up','urgent','suicide_self_harm','self'],
    ['got my meds sorted out for tonight','urgent','suicide_self_harm','self'],
    ['just bought blades from the shop for later','urgent','suicide_self_harm','self'],
    ['sat up on the multi storey roof on my own','urgent','suicide_self_harm','self'],
    ['at the station and im not here to get a train','urgent','suicide_self_harm','self'],
    ['car running in the garage with the door shut','urgent','suicide_self_harm','self'],
    ['sorry for everything love you all goodbye','urgent','suicide_self_harm','self'],
    ['wrote letters so my foster mum knows its not her fault','urgent','suicide_self_harm','self'],
    ['tonights the night','urgent','suicide_self_harm','self'],
    ['this is gonna be my last christmas','urgent','suicide_self_harm','self'],
    ['phone on 2% and so am i','urgent','suicide_self_harm','self'],
    ['done it again 5 mins ago theres blood','urgent','suicide_self_harm','self'],
    ['keep smashing my head against the wall','urgent','suicide_self_harm','self'],
    ['my mate isnt breathing properly and wont wake up','urgent','medical_emergency','other'],
    ['my housemate locked herself in the bathroom and has taken pills','urgent','suicide_self_harm','other'],
    ['everyone says kys and i think i might','urgent','suicide_self_harm','self'],
    ['the olders want me to hold a burner and answer it all night','high','exploitation','self'],
    ['got sent to a trap in kent with a bag','high','exploitation','self'],
    ['i owe them 3k and they say i have to work it off','high','exploitation','self'],
    ['some lads said theyll catch me after college','high','harm_from_others','self'],
    ['he put a tracker on my car','high','harm_from_others','self'],
    ['they took my passport and i work in the kitchen for no pay','high','exploitation','self'],
    ['my parents are making me go abroad to marry someone i have never met','high','harm_from_others','self'],
    ['bailiffs coming monday and i have nowhere to go','high','homelessness','self'],
    ['my photos are going round the group chat and i never said yes','high','exploitation','self'],
    ['whole weekend on my own again','medium','mental_health','self'],
    ['missing my foster mum loads','medium','mental_health','self'],
    ['just existing rn','medium','mental_health','self'],
    ['bit low today ngl','medium','mental_health','self'],
    ['gas bill is massive this month','medium','destitution','self'],
    ['my counselling got cancelled','medium','mental_health','self'],
  ])('%j', (...row) => check(row));
});

describe('concept coverage (2026-05): hyperbole, quoting and learning stay quiet', () => {
  it.each<Row>([
    ['my boss is gonna kill me lol','none','none','self'],
    ['that ending was so cringe i want to die lol','none','none','self'],
    ['we learnt about overdoses in first aid','none','none','self'],
    ['someone said kys in the group chat and we told them its not ok','none','none','self'],
    ['i bought razors for shaving my legs','none','none','self'],
    ['going for a walk over the bridge with my dog','none','none','self'],
    ['my mate killed me in fortnite lol','none','none','self'],
  ])('%j', (...row) => check(row));
});

/**
 * The third round of concepts is checked on the rules alone: the rules must catch these by
 * themselves, and keep the near-misses quiet by themselves (the classifier is retrained apart).
 */
const rulesOnly = createSafetyScreen({ lexicon: screen.lexicon, classifier: false });

function checkRules(row: Row): void {
  expectScreened(rulesOnly, row);
}

describe('concept coverage (2026-11, third round): means, heights, goodbyes, violence now, exploitation, nowhere tonight', () => {
  it.each<Row>([
    ["i've been hiding my sertraline in a sock for a month, there's plenty now", 'urgent', 'suicide_self_harm', 'self'],
    ['bought two boxes of paracetamol at the garage and another two at the chemist so nobody asks', 'urgent', 'suicide_self_harm', 'self'],
    ["downed a load of my flatmate's sleeping tablets, feeling really drowsy", 'urgent', 'suicide_self_harm', 'self'],
    ['necked 25 of my antidepressants half an hour ago', 'urgent', 'suicide_self_harm', 'self'],
    ['drank some of the drain cleaner from under the sink', 'urgent', 'suicide_self_harm', 'self'],
    ['fastened my dressing gown cord to the loft hatch', 'urgent', 'suicide_self_harm', 'self'],
    ['looped my belt over the top of the door', 'urgent', 'suicide_self_harm', 'self'],
    ['sat on the wrong side of the railings on the footbridge', 'urgent', 'suicide_self_harm', 'self'],
    ["climbed over the barrier at the multi storey, it's a long way down", 'urgent', 'suicide_self_harm', 'self'],
    ['standing where the fast trains go through, not getting on one', 'urgent', 'suicide_self_harm', 'self'],
    ['nobody will have to put up with me after this weekend', 'urgent', 'suicide_self_harm', 'self'],
    ["won't be around after friday so don't bother booking my review", 'urgent', 'suicide_self_harm', 'self'],
    ["i've set the date and i've got the means", 'urgent', 'suicide_self_harm', 'self'],
    ['whoever empties my room will find the letters in the drawer', 'urgent', 'suicide_self_harm', 'self'],
    ["rehomed my dog and wrote everyone a letter, it's all done", 'urgent', 'suicide_self_harm', 'self'],
    ["put my bank card and pin in an envelope for my sister, she'll know why", 'urgent', 'suicide_self_harm', 'self'],
    ["dragged the razor down my thigh and it won't stop", 'urgent', 'suicide_self_harm', 'self'],
    ["can't stop the blood from my arm, the towel's soaked through", 'urgent', 'suicide_self_harm', 'self'],
    ['gas is on, not lit, windows taped up', 'urgent', 'suicide_self_harm', 'self'],
    ['my foster son texted thanks for trying, love you, and now his phone goes straight to voicemail', 'urgent', 'suicide_self_harm', 'other'],
    ['lol i know exactly how and when', 'urgent', 'suicide_self_harm', 'self'],
    ['ending it. for real. no more chats', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm getting taken somewhere in a van and i don't know where we're going", 'urgent', 'harm_from_others', 'self'],
    ['my cousin has got me by the neck against the door right now', 'urgent', 'harm_from_others', 'self'],
    ['he squeezed my throat last month, it still scares me', 'high', 'harm_from_others', 'self'],
    ["my brother's on the landing with a machete, he's screaming at the door", 'urgent', 'harm_from_others', 'self'],
    ["he's poured petrol on the landing and says he'll light it", 'urgent', 'harm_from_others', 'self'],
    ["they locked me in the box room and took my phone, i'm on my old ipad", 'urgent', 'harm_from_others', 'self'],
    ["being followed by a man since the station, he's still behind me, scared", 'urgent', 'harm_from_others', 'self'],
    ["stepdad's kicking my little brother in the next room right now", 'urgent', 'harm_from_others', 'other'],
    ["holding a bag for some lads at mine and they said don't look inside", 'high', 'exploitation', 'self'],
    ['they keep sending me to a seaside town on the train with a phone and a bag', 'high', 'exploitation', 'self'],
    ['the lads say the debt doubles if i miss a drop', 'high', 'exploitation', 'self'],
    ['my bf makes me hand over my wages every week and checks my receipts', 'high', 'harm_from_others', 'self'],
    ['the landlord says i can stay if i do him favours', 'high', 'harm_from_others', 'self'],
    ["my cousin's boyfriend slapped her and gave her a black eye, she said she fell", 'high', 'harm_from_others', 'other'],
    ['no bed tonight, the night shelter turned me away', 'high', 'homelessness', 'self'],
    ["riding the night bus till morning so i'm not outside", 'high', 'homelessness', 'self'],
    ["sat in a 24 hour mcdonalds so i'm not outside, nowhere to go", 'high', 'homelessness', 'self'],
    ["emergency credit gone and the fridge is off, baby's milk in there", 'high', 'destitution', 'self'],
    ["the last nappy is on and i've got 40p", 'high', 'destitution', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('concept coverage (2026-11, third round): the same words in everyday life stay quiet', () => {
  it.each<Row>([
    ["counting out my tablets for the dosette box so i don't run out", 'none', 'none', 'self'],
    ['hung the fairy lights round the banister for christmas', 'none', 'none', 'self'],
    ['at the top of the car park watching the fireworks with my mates', 'none', 'none', 'self'],
    ['walked along the railway line to the level crossing to get to my shift quicker', 'none', 'none', 'self'],
    ["won't be around much this weekend, at my dad's with no signal", 'none', 'none', 'self'],
    ['friday is the day we move into the new flat', 'none', 'none', 'self'],
    ["can't stop the blood from my nosebleed, the tissue is soaked", 'none', 'none', 'self'],
    ["she said goodbye after her shift and isn't answering because she's on the night bus with no signal", 'none', 'none', 'self'],
    ['ending it with him tonight, he cheated', 'none', 'none', 'self'],
    ["my flatmate's in the kitchen chopping onions with the big knife now", 'none', 'none', 'self'],
    ['locked in the library till 9 revising, took my phone off to focus', 'none', 'none', 'self'],
    ['my dog keeps following me round the flat, so clingy', 'none', 'none', 'self'],
    ["my sister's baby keeps kicking me from the bump lol", 'none', 'none', 'self'],
    ["holding my mate's bag while she's in the toilets", 'none', 'none', 'self'],
    ['my partner and i have a joint account and we both check the receipts', 'none', 'none', 'self'],
    ['got a black eye playing rugby, it was an accident', 'none', 'none', 'self'],
    ['ran out of milk for my tea lol, popping to the shop', 'none', 'none', 'self'],
    ['not eaten since lunch, what can i make with pasta', 'none', 'none', 'self'],
    ['my hair is so bad i want to die, the hairdresser butchered it', 'none', 'none', 'self'],
    ['this revision is killing me lol', 'none', 'none', 'self'],
    ['said bye to the team on my last day at the cafe, they got me flowers', 'none', 'none', 'self'],
    ['this is my last text from this number, new sim tomorrow', 'none', 'none', 'self'],
    ['got choked out at judo, the coach showed me the escape', 'none', 'none', 'self'],
    ['my character bled out in the boss fight', 'none', 'none', 'self'],
    ["rent's gone up again, can they do that?", 'none', 'none', 'self'],
    ['paid off my overdraft and my catalogue, feels amazing', 'none', 'none', 'self'],
    ["locked out but my flatmate's back with her key in five minutes", 'none', 'none', 'self'],
    ['my boss keeps a scan of my passport for right to work checks', 'none', 'none', 'self'],
    ['i owe the lads a round after losing at pool', 'none', 'none', 'self'],
    ["i miss my foster mum but i'm really happy in my new flat", 'none', 'none', 'self'],
    ["feeling a bit lonely but i've joined a running club and it's helping", 'none', 'none', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('concept coverage (2026-11, fifth session): real risk beside everyday contexts (games, matches, materials, news, reasons to be away)', () => {
  it.each<Row>([
    ["my cousin stabbed me after we fell out over fifa and i'm bleeding loads", 'urgent', 'harm_from_others', 'self'],
    ['got battered by my boyfriend after the cup final', 'high', 'harm_from_others', 'self'],
    ['he choked me in the car after the match', 'high', 'harm_from_others', 'self'],
    ['been cutting my arm again, the carpet is covered in blood', 'urgent', 'suicide_self_harm', 'self'],
    ["my stepdad says he'll kill me with his belt", 'urgent', 'harm_from_others', 'self'],
    ['saw on the news about a lad who killed himself, i want to do the same', 'urgent', 'suicide_self_harm', 'self'],
    ["won't be around after this weekend, nobody will have to deal with me", 'urgent', 'suicide_self_harm', 'self'],
    ["the food bank gave me a parcel but it's all gone and there's nothing to eat", 'high', 'destitution', 'self'],
    ["skint till payday and there's no food in for the baby", 'high', 'destitution', 'self'],
    ['the voices keep telling me to end it', 'urgent', 'suicide_self_harm', 'self'],
    ['my voice notes keep saying die instead of dye lol', 'none', 'none', 'self'],
    ['i want to jump off the pier tonight', 'urgent', 'suicide_self_harm', 'self'],
    ['on my own again this christmas, not by choice', 'medium', 'mental_health', 'self'],
    ["bought a rope today and it's not for camping", 'urgent', 'suicide_self_harm', 'self'],
    ["got the razor in my hand and i'm going to use it on myself", 'urgent', 'suicide_self_harm', 'self'],
    ["if you don't hear from me by morning it's because i did it", 'urgent', 'suicide_self_harm', 'self'],
    ["an older guy bought me trainers and says don't tell anyone about us", 'high', 'exploitation', 'self'],
    ['got smacked in the face by my dad', 'high', 'harm_from_others', 'self'],
    ['i want to run away and end it all tonight', 'urgent', 'suicide_self_harm', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('recall round (2026-11, fifth session): concepts from the more-voices misses, in new wording', () => {
  it.each<Row>([
    ["it's done now, took the lot, too late to stop it", 'urgent', 'suicide_self_harm', 'self'],
    ["if i haven't texted back by tea time it's because i went through with it", 'urgent', 'suicide_self_harm', 'self'],
    ["got my nan's tablets here and i'm ending it at midnight", 'urgent', 'suicide_self_harm', 'self'],
    ['mind is made up and the date is today', 'urgent', 'suicide_self_harm', 'self'],
    ['up to my chest in the reservoir, it is so cold', 'urgent', 'suicide_self_harm', 'self'],
    ['thinking of stepping out in front of a lorry on the bypass', 'urgent', 'suicide_self_harm', 'self'],
    ['goodbye for the last time everyone', 'urgent', 'suicide_self_harm', 'self'],
    ['scheduled a message to go out tomorrow morning for my sister. sorry for everything', 'urgent', 'suicide_self_harm', 'self'],
    ["i'm asking cos i'm going to tonight", 'urgent', 'suicide_self_harm', 'self'],
    ['i just did a big od on my antidepressants', 'urgent', 'suicide_self_harm', 'self'],
    ['counted out all my tablets, 48, should be enough', 'urgent', 'suicide_self_harm', 'self'],
    ["i've got the drain cleaner and i'm going to drink it", 'urgent', 'suicide_self_harm', 'self'],
    ['the blade is pressed against my wrist right now', 'urgent', 'suicide_self_harm', 'self'],
    ['the voices keep telling me to go tonight', 'urgent', 'suicide_self_harm', 'self'],
    ["my foster daughter's goodbye text came at 2am and now her phone is off", 'urgent', 'suicide_self_harm', 'other'],
    ["he stabbed me and he's still in the flat", 'urgent', 'harm_from_others', 'self'],
    ["they battered me outside the chippy and said they'll come back", 'urgent', 'harm_from_others', 'self'],
    ["he's locked us in the bedroom and won't let us leave", 'urgent', 'harm_from_others', 'self'],
    ['my stepdad is battering his wife again, i can hear her screaming', 'urgent', 'harm_from_others', 'other'],
    ["machete. he's outside", 'urgent', 'harm_from_others', 'self'],
    ['he threw my phone at the wall and said i made him angry', 'high', 'harm_from_others', 'self'],
    ["ever since i dumped him he's been parked outside my work", 'high', 'harm_from_others', 'self'],
    ['the caretaker at the hostel said i could have a bigger room if i was nice to him', 'high', 'harm_from_others', 'self'],
    ["my dad's mate keeps telling me i'm sexy and says come round when his wife's at work", 'high', 'harm_from_others', 'self'],
    ['driving packages to different towns for some older lads', 'high', 'exploitation', 'self'],
    ['the guy who brought me over says i owe him and i work in his restaurant for no pay', 'high', 'exploitation', 'self'],
    ['my boss has my passport and says i must work till the debt is paid', 'high', 'exploitation', 'self'],
    ["my landlord chucked me out and now i'm sat outside with my bags", 'high', 'homelessness', 'self'],
    ['sleeping in the park again tonight', 'high', 'homelessness', 'self'],
    ['nothing left on the electric meter and no food for the kids', 'high', 'destitution', 'self'],
    ['hungry 4 days, my support money is finish', 'high', 'destitution', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('recall round (2026-11, fifth session): the same words in everyday life stay quiet', () => {
  it.each<Row>([
    ["if i don't reply by 9 it's because i fell asleep", 'none', 'none', 'self'],
    ['it is over, i did it, finished my first half marathon', 'none', 'none', 'self'],
    ['got the stuff from the chemist for my cold, early night tonight', 'none', 'none', 'self'],
    ['my mind is made up, the interview is today', 'none', 'none', 'self'],
    ['the date is today, my citizenship ceremony!', 'none', 'none', 'self'],
    ['sitting by the lake thinking about going in for a paddle', 'none', 'none', 'self'],
    ["we're at the loch and the kids want to wade in", 'none', 'none', 'self'],
    ["my nephew ran out in front of a car chasing his ball, he's fine", 'none', 'none', 'self'],
    ['goodbye for the last time to my old school, graduation today', 'none', 'none', 'self'],
    ['switching my phone off for good now, got a new one, bye old phone', 'none', 'none', 'self'],
    ["scheduled a text to go out at 8 for mum's birthday, sorry for the spam", 'none', 'none', 'self'],
    ["asking cos i'm going to the party tonight", 'none', 'none', 'self'],
    ["can you die from a spider bite? i've got one here lol", 'none', 'none', 'self'],
    ['downed a bottle of water after the gym', 'none', 'none', 'self'],
    ["spilled bleach on my jeans and i'm drinking tea to calm down", 'none', 'none', 'self'],
    ['the people on the radio keep telling me to jump on the bandwagon', 'none', 'none', 'self'],
    ["sent us a goodbye message from the leaving do, phone's dead now", 'none', 'none', 'self'],
    ["my dad is beating his wife at scrabble again, she's screaming at him", 'none', 'none', 'self'],
    ['hammer. he is here to fix the shelf', 'none', 'none', 'self'],
    ['my mum keeps telling me to stop seeing my mates so much and revise', 'none', 'none', 'self'],
    ['my dog turns up wherever i go', 'none', 'none', 'self'],
    ['sent my address to the delivery driver', 'none', 'none', 'self'],
    ['my boss said i could have more shifts if i was nice to the customers', 'none', 'none', 'self'],
    ['they make me sell tickets at work for the raffle', 'none', 'none', 'self'],
    ['the van driver delivers stuff to different towns', 'none', 'none', 'self'],
    ['my uncle brought me here from the station and i owe him for petrol', 'none', 'none', 'self'],
    ['doing work experience with no pay at the garage', 'none', 'none', 'self'],
    ["in the train station till they shut it cos my train's delayed", 'none', 'none', 'self'],
    ['where do i go tonight, cinema or bowling', 'none', 'none', 'self'],
    ['hungry 3 days into ramadan', 'none', 'none', 'self'],
    ["my baby needs milk, we've run out of the small bottles, off to the shop", 'none', 'none', 'self'],
    ["i'm 17 and my boyfriend is 18", 'none', 'none', 'self'],
    ["what's a painless way to quit vaping, i've decided to stop", 'none', 'none', 'self'],
    ['took my tablets and locked the door, early night', 'none', 'none', 'self'],
    ['been planning it for months, the date is today, surprise for my sister', 'none', 'none', 'self'],
    ["the landlord comes in at night to check the fire alarm? he's never done that", 'none', 'none', 'self'],
    ['my ex posted my pictures online, old ones from our holiday, everyone liked them', 'none', 'none', 'self'],
    ['nothing on the electric meter display, is it broken', 'none', 'none', 'self'],
    ['my baby needs food every 3 hours, no money issues, just tired', 'none', 'none', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('blind5/6 round (2026-11, sixth session): concepts from the retired blind5 and blind6 misses, in new wording', () => {
  it.each<Row>([
    ["what dose of paracetamol would kill someone my size", 'urgent', 'suicide_self_harm', 'self'],
    ["whats a lethal dose of sertraline", 'urgent', 'suicide_self_harm', 'self'],
    ["how many co codamol to die? got 2 packs", 'urgent', 'suicide_self_harm', 'self'],
    ["how many of these would stop my heart", 'urgent', 'suicide_self_harm', 'self'],
    ["what amount of insulin is fatal", 'urgent', 'suicide_self_harm', 'self'],
    ["is 30 paracetamol enough to kill you", 'urgent', 'suicide_self_harm', 'self'],
    ["how much vodka and pills does it take to not wake up", 'urgent', 'suicide_self_harm', 'self'],
    ["what's the lethal amount of propranolol, i have loads", 'urgent', 'suicide_self_harm', 'self'],
    ["how many sleeping pills do you need to die", 'urgent', 'suicide_self_harm', 'self'],
    ["gonna sleep forever tonight 💊", 'urgent', 'suicide_self_harm', 'self'],
    ["taking all these and going to sleep forever", 'urgent', 'suicide_self_harm', 'self'],
    ["night everyone, gonna sleep and not wake up this time", 'urgent', 'suicide_self_harm', 'self'],
    ["pills then bed. never waking up", 'urgent', 'suicide_self_harm', 'self'],
    ["swallow these and sleep for ever", 'urgent', 'suicide_self_harm', 'self'],
    ["tested the belt on the door, it takes my weight", 'urgent', 'suicide_self_harm', 'self'],
    ["tried the rope on the loft hatch, it held", 'urgent', 'suicide_self_harm', 'self'],
    ["the scarf holds my weight on the bannister", 'urgent', 'suicide_self_harm', 'self'],
    ["checked the cable would hold me", 'urgent', 'suicide_self_harm', 'self'],
    ["tied it to the banister and it holds", 'urgent', 'suicide_self_harm', 'self'],
    ["said my goodbyes to everyone, turning my phone off now", 'urgent', 'suicide_self_harm', 'self'],
    ["sent everyone a goodbye message, switching off after this", 'urgent', 'suicide_self_harm', 'self'],
    ["messaged my goodbyes, going offline for good", 'urgent', 'suicide_self_harm', 'self'],
    ["goodbyes sent. phone off", 'urgent', 'suicide_self_harm', 'self'],
    ["just said bye to everyone on insta, deleting the app after this for good", 'urgent', 'suicide_self_harm', 'self'],
    ["leaving for good tonight, said bye to the dog", 'urgent', 'suicide_self_harm', 'self'],
    ["going for good tonight, gave my cat a last cuddle", 'urgent', 'suicide_self_harm', 'self'],
    ["said goodbye to my cat, won't see her again", 'urgent', 'suicide_self_harm', 'self'],
    ["tonight i go for good. said goodbye to my dog and my nan", 'urgent', 'suicide_self_harm', 'self'],
    ["bye tribe, thanks for everything x", 'urgent', 'suicide_self_harm', 'self'],
    ["goodbye tribe. this is the last time", 'urgent', 'suicide_self_harm', 'self'],
    ["bye everyone on here, love you all x", 'urgent', 'suicide_self_harm', 'self'],
    ["goodbye forever tribe", 'urgent', 'suicide_self_harm', 'self'],
    ["please look after my cat when i'm gone", 'urgent', 'suicide_self_harm', 'self'],
    ["make sure someone feeds max, i won't be here to", 'urgent', 'suicide_self_harm', 'self'],
    ["can you make sure my dog goes to my sister, i won't be around after tonight", 'urgent', 'suicide_self_harm', 'self'],
    ["promise me you'll look after my son. tell him i love him", 'urgent', 'suicide_self_harm', 'self'],
    ["dont let them take my dog to the pound. love you all", 'urgent', 'suicide_self_harm', 'self'],
    ["give my stuff to my brother, and feed the cat for me, sorry", 'urgent', 'suicide_self_harm', 'self'],
    ["stopped taking my insulin so i can just go", 'urgent', 'suicide_self_harm', 'self'],
    ["not taking my heart meds anymore, hoping it just stops", 'urgent', 'suicide_self_harm', 'self'],
    ["ive stopped my epilepsy meds on purpose, dont care if i have a fit", 'urgent', 'suicide_self_harm', 'self'],
    ["stopped my insulin, want it to be over", 'urgent', 'suicide_self_harm', 'self'],
    ["refusing my dialysis, i'm done", 'urgent', 'suicide_self_harm', 'self'],
    ["haven't had my insulin for days, i want to die", 'urgent', 'suicide_self_harm', 'self'],
    ["these men wont let me out of the car", 'urgent', 'harm_from_others', 'self'],
    ["in a van with some lads i don't know, they won't stop to let me out", 'urgent', 'harm_from_others', 'self'],
    ["they've locked the car doors and won't let me go, i don't know where we are", 'urgent', 'harm_from_others', 'self'],
    ["strangers took my phone and won't let me leave the flat", 'urgent', 'harm_from_others', 'self'],
    ["men i dont know are driving me somewhere, they said i'm not going home", 'urgent', 'harm_from_others', 'self'],
    ["being driven somewhere by guys i don't know, they won't let me out", 'urgent', 'harm_from_others', 'self'],
    ["woke up at his place with no knickers on and cant remember anything", 'high', 'harm_from_others', 'self'],
    ["blacked out at a party and woke up undressed next to a lad i dont know", 'high', 'harm_from_others', 'self'],
    ["woke up half naked and i don't remember getting there", 'high', 'harm_from_others', 'self'],
    ["i think something happened to me last night, i woke up with my top off and i only had 2 drinks", 'high', 'harm_from_others', 'self'],
    ["woke up in a strangers bed, my jeans were off and i dont remember", 'high', 'harm_from_others', 'self'],
    ["cant remember last night, woke up with no clothes on at his mates house", 'high', 'harm_from_others', 'self'],
    ["had to beg for change to get something to eat", 'high', 'destitution', 'self'],
    ["asking strangers for money so i can eat", 'high', 'destitution', 'self'],
    ["begging in town for food again", 'high', 'destitution', 'self'],
    ["been sitting outside tesco asking people for change for food", 'high', 'destitution', 'self'],
    ["sofa surfing at my cousins and she says i have to go by friday", 'high', 'homelessness', 'self'],
    ["been kipping at my mates for weeks and now his dad wants me gone by sunday", 'high', 'homelessness', 'self'],
    ["my mates mum says i cant stay anymore after this weekend, ive been on their sofa since march", 'high', 'homelessness', 'self'],
    ["staying at my friends and they've told me to leave by the weekend, nowhere else to go", 'high', 'homelessness', 'self'],
    ["staying in a trap house cos i've nowhere else", 'high', 'exploitation', 'self'],
    ["sleeping at a crack den, it's all i've got", 'high', 'exploitation', 'self'],
    ["crashing at a dealer's flat, people in and out all night", 'high', 'exploitation', 'self'],
    ["this lad and his cousins have basically taken over my flat, they tell me not to answer the door", 'high', 'exploitation', 'self'],
    ["there's like 5 of them in my flat most nights and they keep the curtains shut", 'high', 'exploitation', 'self'],
    ["some guys have moved into my flat and i cant get them out", 'high', 'exploitation', 'self'],
    ["people keep using my flat and wont leave, i sleep at my nans", 'high', 'exploitation', 'self'],
    ["my foster daughter came home with a bruise on her arm, says her boyfriend grabbed her", 'high', 'harm_from_others', 'other'],
    ["my young person has a black eye and says her partner did it", 'high', 'harm_from_others', 'other'],
    ["she turned up with bruises and said he did it", 'high', 'harm_from_others', 'other'],
    ["my niece has marks on her neck from her boyfriend", 'high', 'harm_from_others', 'other'],
    ["someone keeps trying to get into my room at night at the hostel", 'high', 'harm_from_others', 'self'],
    ["a guy keeps rattling my door handle at 3am", 'high', 'harm_from_others', 'self'],
    ["someone tried my door last night in the hostel, i barricaded it", 'high', 'harm_from_others', 'self'],
    ["men keep knocking on my room door at night and trying the handle", 'high', 'harm_from_others', 'self'],
    ["my boyfriend did this, i've got a bruise on my arm", 'high', 'harm_from_others', 'self'],
    ["got a black eye, my ex did it", 'high', 'harm_from_others', 'self'],
    ["his mates are in my flat every night now and they took over", 'high', 'exploitation', 'self'],
    ["i've got bruises all up my arm, my boyfriend did it", 'urgent', 'suicide_self_harm', 'self'],
    ["there's a bruise on my face from my partner", 'high', 'harm_from_others', 'self'],
  ])('%j', (...row) => checkRules(row));
});

describe('blind5/6 round (2026-11, sixth session): the same words in everyday life stay quiet', () => {
  it.each<Row>([
    ["what's the dose of calpol for a 2 year old", 'none', 'none', 'self'],
    ["whats the max dose of ibuprofen in a day", 'none', 'none', 'self'],
    ["how many paracetamol can i take for a headache", 'none', 'none', 'self'],
    ["is 2 paracetamol and 2 ibuprofen ok together", 'none', 'none', 'self'],
    ["what dose of sertraline did you start on", 'none', 'none', 'self'],
    ["slept forever last night lol", 'none', 'none', 'self'],
    ["this cat sleeps forever", 'none', 'none', 'self'],
    ["took a sleeping pill and slept forever, 12 hours lol", 'none', 'none', 'self'],
    ["the dog lead broke", 'none', 'none', 'self'],
    ["tested the shelf, it holds", 'none', 'none', 'self'],
    ["the banister's wobbly, landlord needs to fix it", 'none', 'none', 'self'],
    ["tested the hammock on the tree, it holds my weight", 'none', 'none', 'self'],
    ["my phone's going off after this, low battery, night x", 'none', 'none', 'self'],
    ["sent my goodbyes to the team on slack, phone going off, flight in an hour", 'none', 'none', 'self'],
    ["said bye to everyone at the leaving do, phone's going off now night", 'none', 'none', 'self'],
    ["phone going off after this, exam tomorrow", 'none', 'none', 'self'],
    ["leaving tonight for good, moving to my aunties in leeds, said bye to my cat", 'none', 'none', 'self'],
    ["said bye to my cat, off to uni tomorrow", 'none', 'none', 'self'],
    ["leaving this job for good tonight, last shift", 'none', 'none', 'self'],
    ["goodbye 2025", 'none', 'none', 'self'],
    ["bye tribe see you tomorrow x", 'none', 'none', 'self'],
    ["goodbye tribe, off on holiday for a week, talk soon", 'none', 'none', 'self'],
    ["ok bye for now x", 'none', 'none', 'self'],
    ["bye x", 'none', 'none', 'self'],
    ["thanks tribe, bye x", 'none', 'none', 'self'],
    ["feed the cat for me while I'm in Spain", 'none', 'none', 'self'],
    ["can you feed bella for me on saturday, i'm working a double", 'none', 'none', 'self'],
    ["please don't let them put the dog in kennels, we're away for a week", 'none', 'none', 'self'],
    ["the cat's going to a shelter because my landlord says no pets, gutted", 'none', 'none', 'self'],
    ["love you all, please feed the fish while im at my mums", 'none', 'none', 'self'],
    ["stopped my antibiotics because the rash went", 'none', 'none', 'self'],
    ["stopped my insulin pump, switched to pens", 'none', 'none', 'self'],
    ["gp stopped my sertraline, feeling ok", 'none', 'none', 'self'],
    ["i stopped my antidepressants on purpose, doctor said i could taper", 'none', 'none', 'self'],
    ["forgot my insulin at home, going back for it", 'none', 'none', 'self'],
    ["stuck in a car with my mates on the M6", 'none', 'none', 'self'],
    ["my mates wont let me out of the car till i pick a song lol", 'none', 'none', 'self'],
    ["in a car with people i don't know, blablacar to london", 'none', 'none', 'self'],
    ["the uber driver won't let me out till i pay", 'none', 'none', 'self'],
    ["stuck in traffic with my dad, he won't let me out of the car till we get there", 'none', 'none', 'self'],
    ["woke up with my clothes still on after the party lol too tired", 'none', 'none', 'self'],
    ["woke up at my mates flat after the party, cant remember the taxi home lol", 'none', 'none', 'self'],
    ["fell asleep with my clothes on again", 'none', 'none', 'self'],
    ["woke up with no memory of the end of the film lol", 'none', 'none', 'self'],
    ["begging my mum for money for the concert lol", 'none', 'none', 'self'],
    ["i begged my boss for a day off", 'none', 'none', 'self'],
    ["a man was begging outside the station, i bought him food", 'none', 'none', 'self'],
    ["my mate is staying on my sofa and my mum wants him out by the weekend", 'none', 'none', 'self'],
    ["been on the sofa for two months binge watching lol, mum wants me out of the house more", 'none', 'none', 'self'],
    ["my friend's mum wants me out by 10 cos she's got work", 'none', 'none', 'self'],
    ["watched a documentary about a crack house", 'none', 'none', 'self'],
    ["my mates are all round at my flat most nights playing fifa", 'none', 'none', 'self'],
    ["my cousins are staying at my flat this week for the wedding", 'none', 'none', 'self'],
    ["took over my flat's spare room as an office lol", 'none', 'none', 'self'],
    ["my daughter has a bruise from netball", 'none', 'none', 'self'],
    ["she turned up with a bruise on her knee from falling off her bike", 'none', 'none', 'self'],
    ["her boyfriend did her nails, they look great", 'none', 'none', 'self'],
    ["someone keeps trying my door handle, it's the cat lol", 'none', 'none', 'self'],
    ["the cleaner tried my door this morning", 'none', 'none', 'self'],
    ["trying to fix my door handle at night, it's broken", 'none', 'none', 'self'],
  ])('%j', (...row) => checkRules(row));
});

// Passive wishes to die and thoughts of dying said in everyday forms that no labelled set had, found by
// probing templates (sixth session), with the same words used safely.
describe('passive wishes to die', () => {
  it.each<Row>([
    ['i wish i could die', 'urgent', 'suicide_self_harm', 'self'],
    ['sometimes i wish i could just die', 'urgent', 'suicide_self_harm', 'self'],
    ['i wish i didnt exist', 'urgent', 'suicide_self_harm', 'self'],
    ['wish i could just not wake up tomorrow', 'urgent', 'suicide_self_harm', 'self'],
    ['i wish i could sleep forever', 'urgent', 'suicide_self_harm', 'self'],
    ['i wish i could just disappear', 'medium', 'mental_health', 'self'],
    ['i keep thinking i should be dead', 'urgent', 'suicide_self_harm', 'self'],
    ['i should just die', 'urgent', 'suicide_self_harm', 'self'],
    ['i might as well be dead', 'urgent', 'suicide_self_harm', 'self'],
    ['i think about dying all the time', 'urgent', 'suicide_self_harm', 'self'],
    ['i keep thinking about jumping', 'urgent', 'suicide_self_harm', 'self'],
    ['keep picturing my own funeral', 'urgent', 'suicide_self_harm', 'self'],
    // the same words, not a wish to die
    ['i wish i could die my hair pink', 'none', 'none', 'self'],
    ['i wish i could die of embarrassment rn', 'none', 'none', 'self'],
    ['i could sleep forever after that shift', 'none', 'none', 'self'],
    ['i wish i could just disappear for the weekend', 'none', 'none', 'self'],
    ['wish i could sleep for a week lol', 'none', 'none', 'self'],
    ['i wish i could see my mum', 'none', 'none', 'self'],
    ['i should die my hair blue', 'none', 'none', 'self'],
    ['i should be dead tired tomorrow lol', 'none', 'none', 'self'],
    ['i might as well die of boredom', 'none', 'none', 'self'],
    ['i think about death a lot, philosophy module is heavy', 'none', 'none', 'self'],
    ['i keep thinking about jumping ship to a new job', 'none', 'none', 'self'],
    ['i keep thinking about jumping out of a plane for charity', 'none', 'none', 'self'],
    ['i think about my nan dying a lot', 'none', 'none', 'self'],
    // a neutraliser for a baby kicking in the womb once took "baby … kicked me" across another subject
    ['me and my baby, the hostel kicked me out tonight', 'high', 'homelessness', 'self'],
    ['the baby keeps kicking me lol', 'none', 'none', 'self'],
    // titles are topics
    ['watched suicide squad last night', 'none', 'none', 'self'],
    ['watching 13 reasons why again', 'none', 'none', 'self'],
  ])('%j', (...row) => checkRules(row));
});
