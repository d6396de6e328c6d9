import type { JourneyClient, JourneyHarness } from './harness';

/** One row of a transcript table: what the young person says, then words the replies must show. */
export type Says = string | { value: Record<string, string> } | { attachments: Array<{ contentType: string; contentUrl: string }> };
export type Row = [Says, ...string[]];

/** Plays a table through a client; fails naming the row and showing everything the bot said. */
export async function play(client: JourneyClient, rows: readonly Row[]): Promise<void> {
  for (const [says, ...expected] of rows) {
    const words = await client.words(says as never);
    for (const piece of expected) {
      if (!words.includes(piece)) throw new Error(`after ${JSON.stringify(says)} the bot said:\n${words}\n\nexpected to see:\n${piece}`);
    }
  }
}

/** Renders a template as the bot would (for expected words). */
export function renderer(harness: () => JourneyHarness) {
  return (id: string, params?: Record<string, string | number>) =>
    (harness().services.texts.render as (id: string, params?: Record<string, string | number>) => string)(id, params);
}

/** Onboards a young person with the shortest answers; returns the rows used. */
export async function onboard(
  client: JourneyClient,
  t: ReturnType<typeof renderer>,
  answers: { name?: string; age?: string; council?: string; picks?: string; home?: string } = {},
): Promise<void> {
  await play(client, [
    ['hi', t('journeys.onboarding.consent')],
    ['yes', t('journeys.onboarding.ask-name')],
    [answers.name ?? 'Sam', t('journeys.onboarding.ask-age')],
    [answers.age ?? '19', t('journeys.onboarding.ask-council')],
    [answers.council ?? 'Leeds', t('journeys.onboarding.ask-situation').slice(0, 20)],
    [{ value: { tribeAction: 'submit:situations', picks: answers.picks ?? '' } }, t('journeys.onboarding.ask-home')],
    [t(`journeys.home.${answers.home ?? 'supported-lodgings'}`), t('journeys.menu.entitlements')],
  ]);
}
