import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ContentCatalog } from '../../services/content/catalog';
import { startTestApp, type RunningTestApp } from '../support/test-app';
import { ARTIFACTS, launchChromium, openPhonePage, recordTurnErrors, webChatParts } from '../support/webchat-browser';

/**
 * Issue 3, "Must show": in Web Chat, in a real Chromium at a phone's size, a young person finishes
 * onboarding, sets an entitlement to Applied with the checklist card's buttons, and the checklist
 * shows it when opened again. Everything is typed or tapped in the page, as they would: nothing
 * is posted to the bot directly. Milestone screenshots are kept as test-artifacts/journey-*.png.
 */

jest.setTimeout(60_000);

const catalog = ContentCatalog.load();
const t = (id: string, params?: Record<string, string | number>) => catalog.render(id, params);
const suggestions = (id: string) => catalog.scripted(id).suggestions;

/** Moderated words as Web Chat shows them: its Markdown curls quotes, and lines may rewrap. */
function loosely(text: string): RegExp {
  const escaped = text.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/['‘’]/g, "['‘’]").replace(/["“”]/g, '["“”]').replace(/\s+/g, '\\s+'));
}

const NAME = 'Sam';
/** On the checklist of a 19-year-old in supported lodgings (the 16 to 19 Bursary ends at 18). */
const ENTITLEMENT = 'Setting Up Home Allowance';
const ENTITLEMENT_ID = 'entitlement.setting-up-home-allowance';
const APPLIED = t('journeys.entitlements.status.applied');
const UPDATE = t('journeys.entitlements.label.update');
/** "Here's your checklist": the start of the checklist card's heading, whatever the count. */
const CHECKLIST_HEADING = loosely(t('journeys.entitlements.intro', { count: 0 }).split('.')[0]!);

describe('journeys in Web Chat (Chromium, phone viewport)', () => {
  let running: RunningTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  let turnErrors: string[] = [];
  /** The random user id this browser gave Web Chat (from its token request). */
  let userId = '';
  let taps = 0;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startTestApp();
    turnErrors = recordTurnErrors(running);
    ({ context, page, pageErrors } = await openPhonePage(browser));
    page.on('request', (request) => {
      if (request.url().endsWith('/v3/directline/tokens/generate')) {
        userId = (JSON.parse(request.postData() ?? '{}') as { user?: { id?: string } }).user?.id ?? '';
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.stop();
  });

  const parts = () => webChatParts(page);
  const botSays = (text: string) => parts().botBubbles().filter({ hasText: loosely(text) });
  const waitFor = (text: string) => botSays(text).last().waitFor({ timeout: 10_000 });
  /** A suggested-action button (the row of buttons over the send box). */
  const suggested = (label: string) => page.locator('.webchat__suggested-actions').getByRole('button', { name: label, exact: true });
  /** A button on the latest menu card. */
  const menuButton = (label: string) =>
    page.locator('.ac-adaptiveCard').filter({ hasText: loosely(t('menu.intro')) }).last().getByRole('button', { name: label, exact: true });
  /** Every checklist card in the transcript, oldest first. */
  const checklists = () => page.locator('.ac-adaptiveCard').filter({ hasText: CHECKLIST_HEADING });
  /** A finger on the glass: counted, so the test can say how many taps a task took. */
  const tap = async (target: Locator) => {
    await target.waitFor({ state: 'visible', timeout: 10_000 });
    await target.tap();
    taps += 1;
  };
  const type = async (text: string) => {
    const box = parts().sendBox();
    await box.fill(text);
    await box.press('Enter');
    await parts().userBubbles().filter({ hasText: text }).last().waitFor({ timeout: 10_000 });
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `journey-${name}.png`) });
  /** Web Chat scrolls a new message into view: wait until the last one sits above the send box. */
  const lastMessageOnScreen = () =>
    page.waitForFunction(
      () => {
        const bubbles = document.querySelectorAll('.webchat__bubble__content');
        const last = bubbles[bubbles.length - 1]?.getBoundingClientRect();
        const sendBox = document.querySelector('[data-id="webchat-sendbox-input"]')?.getBoundingClientRect();
        return !!last && !!sendBox && last.top >= 0 && last.bottom <= sendBox.top;
      },
      undefined,
      { timeout: 10_000 },
    );

  /** A step of the journey; on a failure, what the page showed is kept for a person to look at. */
  const step = (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        await page?.screenshot({ path: join(ARTIFACTS, 'failed-journey-webchat.png') }).catch(() => undefined);
        writeFileSync(join(ARTIFACTS, 'failed-journey-webchat.html'), (await page?.content().catch(() => '')) ?? '');
        throw error;
      }
    });

  step('onboards by typing and tapping, with kind retries for answers it cannot use', async () => {
    await page.goto(`${running.baseUrl}/`);
    // The welcome arrives on its own when the page connects.
    await waitFor(t('journeys.onboarding.consent'));
    await tap(suggested(suggestions('journeys.onboarding.consent')[0]!));
    await waitFor(t('journeys.onboarding.ask-name'));
    await type(NAME);
    await waitFor(t('journeys.onboarding.ask-age'));
    await type('old enough');
    await waitFor(t('journeys.onboarding.age-unclear'));
    await type('19');
    await waitFor(t('journeys.onboarding.ask-council'));
    await type('Leeds');
    // What they are doing: tick boxes on a card, then Done.
    const situations = page.locator('.ac-adaptiveCard').filter({ hasText: loosely(t('journeys.onboarding.ask-situation')) }).last();
    await tap(situations.getByRole('checkbox', { name: t('journeys.situation.education') }));
    await tap(situations.getByRole('button', { name: t('journeys.label.done'), exact: true }));
    await waitFor(t('journeys.onboarding.ask-home'));
    await type('a castle in the sky');
    await waitFor(t('journeys.onboarding.choice-retry'));
    await tap(suggested(t('journeys.home.supported-lodgings')));
    await waitFor(t('journeys.onboarding.done-named', { name: NAME }).split('\n')[0]!);
    await menuButton(t('journeys.menu.entitlements')).waitFor({ timeout: 10_000 });
    // The menu shows once, as the card's buttons: not again as suggested actions over the send box.
    await expect(suggested(t('journeys.menu.entitlements')).count()).resolves.toBe(0);
    await shot('1-onboarded');

    expect(userId).toMatch(/^u_[0-9a-f]{32}$/);
    const profile = await running.app.store.collection('profiles').findOne({ _id: `directline:${userId}` });
    expect(profile).toMatchObject({ preferredName: NAME, councilId: 'leeds', situations: ['education'], home: 'supported-lodgings' });
  });

  step(`sets ${ENTITLEMENT} to ${APPLIED} by tapping the checklist card`, async () => {
    taps = 0;
    await tap(menuButton(t('journeys.menu.entitlements')));
    const checklist = checklists().last();
    await checklist.waitFor({ timeout: 10_000 });
    const item = itemOn(checklist, ENTITLEMENT);
    await expect(statusOf(item)).resolves.toBe(t('journeys.entitlements.status.not-started'));
    await tap(item.getByRole('button', { name: UPDATE, exact: true }));
    // The statuses open under this entitlement, not another one.
    const applied = item.getByRole('button', { name: APPLIED, exact: true });
    await applied.waitFor({ timeout: 10_000 });
    await applied.scrollIntoViewIfNeeded();
    await shot('2-status-choice');
    // Card buttons are thumb-sized, like the page's own (WCAG 2.5.5 asks for 44px).
    const button = await applied.boundingBox();
    process.stdout.write(`measured: Adaptive Card button height in Web Chat (CSS px): ${Math.round(button?.height ?? 0)}\n`);
    expect(button?.height ?? 0).toBeGreaterThanOrEqual(44);
    await tap(applied);
    await waitFor(t('journeys.entitlements.status-saved', { title: ENTITLEMENT, status: APPLIED }));
    // The card above is updated in place: it shows the new status, and it is still the only checklist.
    await item.locator('.ac-textBlock', { hasText: APPLIED }).first().waitFor({ timeout: 10_000 });
    await expect(statusOf(item)).resolves.toBe(APPLIED);
    await expect(checklists().count()).resolves.toBe(1);
    await lastMessageOnScreen();
    await shot('3-status-saved');
    process.stdout.write(`measured: taps to change a status in Web Chat: ${taps}\n`);
    expect(taps).toBe(3); // My entitlements (menu card) → Update → Applied

    const stored = await running.app.store.collection('entitlement_statuses').findOne({ _id: `directline:${userId}|${ENTITLEMENT_ID}` });
    expect(stored).toMatchObject({ status: 'applied' });

    process.stdout.write(`measured: checklist card height on a 390x844 phone (CSS px): ${Math.round((await checklist.boundingBox())?.height ?? 0)}\n`);
  });

  step('typing nonsense after the checklist gets a kind "I could not find that", and the chat carries on', async () => {
    await type('blorp');
    await waitFor(t('fallback.no-match').split('\n')[0]!);
    // The suggested actions may be drawn a render after the bubble.
    await suggested(suggestions('fallback.no-match')[0]!).waitFor({ state: 'visible', timeout: 10_000 });
  });

  step(`the checklist, opened again, shows ${ENTITLEMENT} as ${APPLIED}`, async () => {
    const before = await checklists().count();
    await type('my checklist');
    const checklist = checklists().nth(before);
    await checklist.waitFor({ timeout: 10_000 });
    const item = itemOn(checklist, ENTITLEMENT);
    await expect(statusOf(item)).resolves.toBe(APPLIED);
    // Only that one changed, and the progress line counts it.
    const statuses = await checklist.locator('.ac-container').evaluateAll((blocks) =>
      blocks
        .map((block) => [...block.querySelectorAll(':scope > .ac-textBlock')].map((text) => text.textContent?.trim() ?? ''))
        .filter((texts) => texts.length === 2),
    );
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.filter(([, status]) => status === APPLIED)).toEqual([[ENTITLEMENT, APPLIED]]);
    await expect(checklist.textContent()).resolves.toMatch(loosely(t('journeys.entitlements.progress', { started: 1, total: 10 })));
    await item.scrollIntoViewIfNeeded();
    await shot('4-checklist-applied');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  step('raised no page errors, no failed sends and no failed turns', async () => {
    expect(pageErrors).toEqual([]);
    expect(turnErrors).toEqual([]);
    expect(await page.getByText(/Send failed|Unable to connect/).count()).toBe(0);
  });
});

/** One entitlement's block on a checklist card: its title, its status, Update and More. */
function itemOn(checklist: Locator, title: string): Locator {
  const page = checklist.page();
  return checklist
    .locator('.ac-container')
    .filter({ has: page.getByText(title, { exact: true }) })
    .filter({ has: page.getByRole('button', { name: UPDATE, exact: true }) })
    .last();
}

/** The status line under an entitlement's title. */
async function statusOf(item: Locator): Promise<string> {
  const texts = await item.locator('.ac-textBlock').allTextContents();
  return texts[1]?.trim() ?? '';
}
