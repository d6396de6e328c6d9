import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningTestApp } from './test-app';

/**
 * What the Web Chat e2e tests share: Debian's Chromium (never skipped when it is missing), a
 * phone-sized page that records its errors, and the Web Chat elements they read and type into.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export const PHONE = { width: 390, height: 844 };

/** Launches headless Chromium; throws (failing the suite, never skipping it) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The Web Chat e2e test needs Chromium at ${CHROMIUM}, and it is missing. Install it (apt-get install chromium); this test is never skipped.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
}

/** A fresh context (empty storage, as a first visit) at a phone's size, with touch. */
export async function openPhonePage(browser: Browser): Promise<PhonePage> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { context, page, pageErrors, consoleErrors };
}

/** A failed turn is apologised for in the chat, which would still look like "a reply": record them. */
export function recordTurnErrors(running: RunningTestApp): string[] {
  const turnErrors: string[] = [];
  const apologise = running.app.adapter.onTurnError;
  running.app.adapter.onTurnError = async (turn, error) => {
    turnErrors.push(`${error.name}: ${error.message.split('\n')[0]}`);
    await apologise?.(turn, error);
  };
  return turnErrors;
}

/** Web Chat's send box and message bubbles. */
export function webChatParts(page: Page) {
  return {
    sendBox: () => page.locator('[data-id="webchat-sendbox-input"]'),
    botBubbles: () => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content'),
    userBubbles: () => page.locator('.webchat__bubble.webchat__bubble--from-user .webchat__bubble__content'),
  };
}
