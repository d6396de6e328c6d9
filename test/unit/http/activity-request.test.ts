import { describeActivityProblems, inboundActivitySchema, isAcceptableActivity } from '../../../bot/http/activity-request';

const good = {
  type: 'message',
  channelId: 'webchat',
  serviceUrl: 'http://127.0.0.1:1',
  conversation: { id: 'c1', extra: true },
  from: { id: 'u1' },
  text: 'hello',
  deliveryMode: 'expectReplies',
};

const cases: Array<[string, unknown]> = [
  ['a good message', good],
  ['no text', { ...good, text: undefined }],
  ['empty text', { ...good, text: '' }],
  ['text at the limit', { ...good, text: 'x'.repeat(20_000) }],
  ['text over the limit', { ...good, text: 'x'.repeat(20_001) }],
  ['text null', { ...good, text: null }],
  ['text a number', { ...good, text: 5 }],
  ['no type', { ...good, type: undefined }],
  ['empty type', { ...good, type: '' }],
  ['type too long', { ...good, type: 't'.repeat(65) }],
  ['channelId at the limit', { ...good, channelId: 'c'.repeat(64) }],
  ['serviceUrl too long', { ...good, serviceUrl: 'h'.repeat(2049) }],
  ['conversation a string', { ...good, conversation: 'c1' }],
  ['conversation an array', { ...good, conversation: [{ id: 'c1' }] }],
  ['conversation null', { ...good, conversation: null }],
  ['conversation id empty', { ...good, conversation: { id: '' } }],
  ['from id too long', { ...good, from: { id: 'u'.repeat(513) } }],
  ['from id a number', { ...good, from: { id: 7 } }],
  ['from missing', { ...good, from: undefined }],
  ['an array body', [good]],
  ['a string body', 'hello'],
  ['null body', null],
  ['an empty object', {}],
];

describe('inbound activity check', () => {
  it.each(cases)('gives the schema’s verdict for %s', (_name, body) => {
    const json = JSON.parse(JSON.stringify(body ?? null)) as unknown; // what the body parser hands over
    expect(isAcceptableActivity(json)).toBe(inboundActivitySchema.safeParse(json).success);
    expect(describeActivityProblems(json) === null).toBe(inboundActivitySchema.safeParse(json).success);
  });

  it('still names every problem', () => {
    expect(describeActivityProblems({ ...good, type: '', from: { id: '' } })).toMatch(/type: .*; from\.id: /);
  });
});
