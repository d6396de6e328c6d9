import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type RunningTestApp } from '../support/test-app';

/**
 * The Web Chat page at `/` in a real Chromium, at a phone's size: it connects to the local
 * Direct Line channel, a message gets the bot's reply, and a proactive message from the
 * service appears in the open page.
 */

jest.setTimeout(60_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const PHONE = { width: 390, height: 844 };
const PROACTIVE_TEXT = 'Proactive check from the service: this arrived without you asking.';

describe('Web Chat page (Chromium, phone viewport)', () => {
  let running: RunningTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const turnErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The Web Chat e2e test needs Chromium at ${CHROMIUM}, and it is missing. Install it (apt-get install chromium); this test is never skipped.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    running = await startTestApp();
    // A failed turn is apologised for in the chat, which would still look like "a reply": record them.
    const apologise = running.app.adapter.onTurnError;
    running.app.adapter.onTurnError = async (turn, error) => {
      turnErrors.push(`${error.name}: ${error.message.split('\n')[0]}`);
      await apologise?.(turn, error);
    };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A fresh context: empty storage, as a first visit.
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.stop();
  });

  const sendBox = () => page.locator('[data-id="webchat-sendbox-input"]');
  const botBubbles = () => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const userBubbles = () => page.locator('.webchat__bubble.webchat__bubble--from-user .webchat__bubble__content');

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
