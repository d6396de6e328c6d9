import { type TurnContext } from 'botbuilder';
import { adaptiveCard, buttonRows, cardActivity, numberedList, textBlock } from './cards';
import { MENU_ITEMS, menuLabelId } from './commands';
import type { JourneyServices } from './journey-services';
import { markdown } from './prompts';
import { supportsCards } from './turn';

/**
 * The menu: an Adaptive Card of eight buttons in Teams and Web Chat (once: no suggested actions
 * repeating them), a numbered list elsewhere. A bare number then picks an item (see `recogniseMenuItem`).
 */
export async function sendMenu(context: TurnContext, services: JourneyServices, intro?: string): Promise<void> {
  const { texts } = services;
  const heading = intro ?? texts.render('menu.intro');
  const labels = MENU_ITEMS.map((item) => texts.render(menuLabelId(item)));
  const listText = `${heading}\n\n${numberedList(labels)}\n\n${texts.render('journeys.menu.text-hint')}`;
  if (!supportsCards(context)) {
    await context.sendActivity(markdown(listText));
    return;
  }
  const buttons = MENU_ITEMS.map((item, index) => ({ title: labels[index]!, token: `menu:${item}` }));
  // The card's buttons are the menu: suggested actions as well would show every item twice.
  await context.sendActivity(cardActivity(adaptiveCard([textBlock(heading, { weight: 'Bolder' }), ...buttonRows(buttons)], listText)));
}
