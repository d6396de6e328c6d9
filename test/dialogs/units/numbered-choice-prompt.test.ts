import { type Activity, ActivityTypes, TurnContext, type BotAdapter } from 'botbuilder';
import { type Choice, ChoicePrompt, type FoundChoice, ListStyle, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import * as Recognizers from '@microsoft/recognizers-text-number';
import { NumberedChoicePrompt } from '../../../dialogs/prompts';
import { userKeyOf } from '../../../services/profiles/profile';
import { type JourneyClient, type JourneyHarness, openHarness, wordsOf } from '../support/harness';
import { renderer } from '../support/transcript';

/**
 * NumberedChoicePrompt answers a message of bare digits without Microsoft's number and ordinal
 * recognisers. These tests show it decides exactly as botbuilder's ChoicePrompt does: the
 * recognisers' own answers for every such string it takes, the recognised value for every string
 * of one to three digits against lists of many lengths, and whole transcripts either way.
 */

type Recognize = (context: TurnContext, state: unknown, options: PromptOptions) => Promise<PromptRecognizerResult<FoundChoice>>;
const slow = (ChoicePrompt.prototype as unknown as { onRecognize: Recognize }).onRecognize;
const fast = (NumberedChoicePrompt.prototype as unknown as { onRecognize: Recognize }).onRecognize;

function contextFor(text: string, locale?: string): TurnContext {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, text, channelId: 'test', ...(locale ? { locale } : {}) };
  return new TurnContext({} as BotAdapter, activity);
}

function choicesOf(count: number): Choice[] {
  return Array.from({ length: count }, (_, index) => ({
    value: `value-${String.fromCharCode(97 + index)}`,
    action: { type: 'imBack', title: `Label ${String.fromCharCode(97 + index)}`, value: `Label ${String.fromCharCode(97 + index)}` },
    synonyms: [`choice:value-${String.fromCharCode(97 + index)}`],
  }));
}

async function both(text: string, choices: Choice[], style: ListStyle, locale?: string) {
  const prompt = new NumberedChoicePrompt('p');
  prompt.style = style;
  const options: PromptOptions = { choices };
  return {
    before: await slow.call(prompt, contextFor(text, locale), {}, options),
    after: await fast.call(prompt, contextFor(text, locale), {}, options),
  };
}

const digitStrings = (length: number) => Array.from({ length: 10 ** length }, (_, n) => String(n).padStart(length, '0'));

describe('what the recognisers say about bare digits', () => {
  it('finds no ordinal and exactly the typed number, for every string of one to four digits and a sample of five', () => {
    const five = digitStrings(5).filter((_, n) => n % 97 === 0 || n < 200 || n > 99_800);
    const faults: string[] = [];
    for (const text of [...[1, 2, 3, 4].flatMap(digitStrings), ...five]) {
      const ordinals = Recognizers.recognizeOrdinal(text, 'en-us');
      const numbers = Recognizers.recognizeNumber(text, 'en-us');
      if (ordinals.length !== 0 || numbers.length !== 1 || parseInt(String(numbers[0]!.resolution.value), 10) !== Number(text)) faults.push(text);
    }
    expect(faults).toEqual([]);
  });
});

describe('NumberedChoicePrompt recognises as ChoicePrompt does', () => {
  it.each([1, 2, 5, 7, 8, 12])('every string of one to three digits, %i choices, listed or as suggested actions', async (count) => {
    const choices = choicesOf(count);
    for (const style of [ListStyle.list, ListStyle.suggestedAction]) {
      for (const text of [1, 2, 3].flatMap(digitStrings)) {
        const { before, after } = await both(text, choices, style);
        if (JSON.stringify(after) !== JSON.stringify(before)) expect({ text, style, after }).toEqual({ text, style, after: before });
      }
    }
  });

  it.each([
    '2nd', 'second', 'the second one', 'two', '1,000', '1.5', '2 please', ' 2', '2 ', '１', '٢', '123456', '99999', '00002',
    'the second one, or 3', 'Label b', 'label b 3', 'value-c', 'choice:value-a', '', '-1', '+2', '2e1', '0x2',
  ])('%j', async (text) => {
    for (const count of [3, 8]) {
      for (const style of [ListStyle.list, ListStyle.suggestedAction]) {
        const { before, after } = await both(text, choicesOf(count), style);
        expect(after).toEqual(before);
      }
    }
  });

  it('takes the word search first when a choice names the digits itself (mood 1 to 5)', async () => {
    const moods: Choice[] = ['1', '2', '3', '4', '5'].map((value) => ({ value, synonyms: [value] }));
    const reversed = [...moods].reverse();
    for (const list of [moods, reversed]) {
      for (const text of ['1', '2', '5', '6', '0']) {
        const { before, after } = await both(text, list, ListStyle.list);
        expect(after).toEqual(before);
      }
    }
  });

  it('in other languages, and with an explicit locale, decides as before', async () => {
    for (const locale of ['en-GB', 'en-US', 'fr-FR', 'de-DE', 'es-ES', 'xx-YY']) {
      for (const text of ['1', '2', '9', '0', '02']) {
        const { before, after } = await both(text, choicesOf(4), ListStyle.list, locale);
        expect(after).toEqual(before);
      }
    }
  }, 60_000);
});

/**
 * Whole transcripts: onboarding up to "where do you live now", then one answer, played with the
 * prompt as shipped and with botbuilder's own recogniser; every reply and the saved profile match.
 */
describe('transcripts are the same with and without the fast path', () => {
  let harness: JourneyHarness;
  const t = renderer(() => harness);

  beforeEach(async () => {
    harness = await openHarness();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.close();
  });

  async function untilHome(client: JourneyClient): Promise<void> {
    for (const says of ['hi', 'yes', 'Sam', '19', 'Leeds']) await client.say(says);
    await client.say({ value: { tribeAction: 'submit:situations', picks: '' } });
    expect(client.last.map(wordsOf).join('\n')).toContain(t('journeys.onboarding.ask-home'));
  }

  const replyShape = (replies: Partial<Activity>[]) =>
    replies.map(({ text, suggestedActions, attachments, inputHint, textFormat }) => ({ text, suggestedActions, attachments, inputHint, textFormat }));

  /** Each play has a store and conversation of its own. */
  async function play(channel: string, user: string, answers: readonly string[]) {
    await harness.close();
    harness = await openHarness();
    const client = harness.client(channel, { from: user });
    await untilHome(client);
    const replies = [];
    for (const says of answers) replies.push(replyShape(await client.say(says)));
    const profile = await harness.services.profiles.get(userKeyOf(channel, user));
    return { replies, home: profile?.home ?? null };
  }

  it.each([
    ['sms', ['2']],
    ['sms', ['7', 'menu']],
    ['sms', ['8', '0', '00', '99999', '2']],
    ['webchat', ['02']],
    ['webchat', ['9', '1,000', '1']],
    ['webchat', ['second']],
    ['msteams', ['3']],
    ['msteams', ['10', 'the 2nd one']],
  ] as const)('on %s, answering %j', async (channel, answers) => {
    const shipped = await play(channel, 'sam', answers);
    jest.spyOn(NumberedChoicePrompt.prototype as unknown as { onRecognize: Recognize }, 'onRecognize').mockImplementation(function (this: NumberedChoicePrompt, ...args) {
      return slow.apply(this, args);
    });
    const library = await play(channel, 'sam', answers);
    expect(shipped).toEqual(library);
  });

  it('a bare number picks the same home as the label does', async () => {
    const { home } = await play('sms', 'by-number', ['2']);
    expect(home).toBe('supported-lodgings');
  });
});
