import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningTestApp } from '../support/test-app';
import { ARTIFACTS, launchChromium, openPhonePage, recordTurnErrors, webChatParts } from '../support/webchat-browser';

/**
 * The Web Chat page at `/` in a real Chromium, at a phone's size: it connects to the local
 * Direct Line channel, a message gets the bot's reply, and a proactive message from the
 * service appears in the open page.
 */

jest.setTimeout(60_000);

const PROACTIVE_TEXT = 'Proactive check from the service: this arrived without you asking.';

describe('Web Chat page (Chromium, phone viewport)', () => {
  let running: RunningTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  let consoleErrors: string[] = [];
  let turnErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startTestApp();
    turnErrors = recordTurnErrors(running);
    ({ context, page, pageErrors, consoleErrors } = await openPhonePage(browser));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.stop();
  });

  const sendBox = () => webChatParts(page).sendBox();
  const botBubbles = () => webChatParts(page).botBubbles();
  const userBubbles = () => webChatParts(page).userBubbles();

  let conversationId = '';
  let userId = '';

  it('opens the page, sends a message and shows the bot reply', async () => {
    const tokenResponse = page.waitForResponse((response) => response.url().endsWith('/v3/directline/tokens/generate'));
    const response = await page.goto(`${running.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    const token = await tokenResponse;
    expect(token.status()).toBe(200);
    conversationId = ((await token.json()) as { conversationId: string }).conversationId;
    userId = (JSON.parse(token.request().postData() ?? '{}') as { user?: { id?: string } }).user?.id ?? '';
    expect(userId).toMatch(/^u_[0-9a-f]{32}$/);

    await expect(page.title()).resolves.toBe('Tribe');
    await expect(page.locator('h1').textContent()).resolves.toBe('Tribe');

    await sendBox().waitFor({ state: 'visible', timeout: 15_000 });
    await sendBox().fill('hello');
    await sendBox().press('Enter');

    await userBubbles().filter({ hasText: 'hello' }).first().waitFor({ timeout: 10_000 });
    await botBubbles().first().waitFor({ timeout: 10_000 });
    expect(((await botBubbles().first().textContent()) ?? '').trim()).not.toBe('');
    // The echo came back with its clientActivityID, so Web Chat no longer shows "Sending" and never "Send failed".
    await page.getByText('Sending', { exact: true }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByText(/send failed/i).count()).toBe(0);

    await page.getByText('Connecting…', { exact: true }).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-phone.png') });
  });

  it('shows a proactive message sent by the service into the open page', async () => {
    expect(conversationId).not.toBe('');
    const reference = running.app.directLine?.conversationReference(conversationId);
    expect(reference).toMatchObject({ user: { id: userId }, conversation: { id: conversationId } });
    await running.app.adapter.continueConversationAsync('', reference!, async (turn) => {
      await turn.sendActivity(PROACTIVE_TEXT);
    });
    await botBubbles().filter({ hasText: PROACTIVE_TEXT }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-phone-proactive.png') });
  });

  it('is usable on a phone: no sideways scroll, large tap targets, readable text', async () => {
    const layout = await page.evaluate(() => {
      const box = (selector: string) => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const rect = element.getBoundingClientRect();
        return { width: rect.width, height: rect.height };
      };
      const input = document.querySelector('[data-id="webchat-sendbox-input"]');
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        sendButton: box('.webchat__send-button'),
        inputFontPx: input ? parseFloat(getComputedStyle(input).fontSize) : 0,
        lang: document.documentElement.lang,
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.sendButton).not.toBeNull();
    expect(layout.sendButton!.height).toBeGreaterThanOrEqual(44);
    expect(layout.sendButton!.width).toBeGreaterThanOrEqual(44);
    expect(layout.inputFontPx).toBeGreaterThanOrEqual(16); // below 16px iOS zooms in on focus
    expect(layout.lang).toBe('en-GB');
  });

  it('keeps the same random user id in this browser across visits', async () => {
    const stored = await page.evaluate(() => window.localStorage.getItem('tribe.webchat.userId'));
    expect(stored).toBe(userId);
    const tokenRequest = page.waitForRequest((request) => request.url().endsWith('/v3/directline/tokens/generate'));
    await page.reload();
    expect((JSON.parse((await tokenRequest).postData() ?? '{}') as { user: { id: string } }).user.id).toBe(userId);
    await sendBox().waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('raised no page errors, no blocked connections and no failed turns', async () => {
    expect(pageErrors).toEqual([]);
    expect(turnErrors).toEqual([]);
    expect(await page.getByText(/Unable to connect|Reconnecting/).count()).toBe(0);
    expect(consoleErrors.filter((text) => /Refused to (connect|load)|WebSocket connection .* failed/i.test(text))).toEqual([]);
  });
});
