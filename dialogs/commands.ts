import type { Texts, TextId } from './journey-services';
import { simplify, simplifyLabel } from './turn';

/**
 * What a message means before any dialog sees it: a global command (it interrupts whatever is
 * going on) or a menu choice. Only whole messages match, so free text is never hijacked by a
 * word inside it. The phrases are recognition data; nothing here is said to the young person.
 */
export const GLOBAL_COMMANDS = [
  'menu',
  'help',
  'cancel',
  'stop-reminders',
  'start-reminders',
  'talk-to-pa',
  'export',
  'delete',
  'privacy',
  'set-up',
] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

const COMMAND_PHRASES: Record<GlobalCommand, readonly string[]> = {
  menu: ['menu', 'main menu', 'show menu', 'show the menu', 'show me the menu', 'back to menu', 'back to the menu', 'options', 'start again', 'start over'],
  help: ['help', 'help me', 'what can you do', 'what do you do', 'how does this work', 'commands'],
  cancel: ['cancel', 'stop', 'quit', 'exit', 'never mind', 'nevermind', 'forget it', 'stop that', 'cancel that'],
  'stop-reminders': ['stop reminders', 'no more reminders', 'stop reminding me', 'pause reminders', 'turn off reminders', 'reminders off', 'stop the reminders'],
  'start-reminders': ['start reminders', 'turn on reminders', 'reminders on', 'restart reminders', 'start the reminders'],
  'talk-to-pa': [
    'talk to my pa',
    'talk to pa',
    'talk to my personal adviser',
    'speak to my pa',
    'contact my pa',
    'call my pa',
    'message my pa',
    'ask my pa',
    'i want to talk to my pa',
    'i want my pa',
  ],
  export: ['export my data', 'export', 'download my data', 'get my data', 'send me my data', 'copy of my data', 'export data', 'my data'],
  delete: ['delete my data', 'delete everything', 'delete me', 'forget me', 'erase my data', 'remove my data', 'delete all my data', 'delete data'],
  privacy: ['privacy', 'my privacy', 'privacy notice', 'what do you keep', 'what do you know about me'],
  'set-up': ['set up', 'setup', 'set me up', 'sign up', 'get started', 'set up tribe'],
};

const phraseToCommand = new Map<string, GlobalCommand>(
  GLOBAL_COMMANDS.flatMap((command) => COMMAND_PHRASES[command].map((phrase) => [simplifyLabel(phrase), command] as const)),
);

/** Tokens our own buttons send: `cmd:<command>`. */
export function recogniseCommand(text: string, texts: Texts): GlobalCommand | undefined {
  if (text.startsWith('cmd:')) {
    const command = text.slice(4) as GlobalCommand;
    return GLOBAL_COMMANDS.includes(command) ? command : undefined;
  }
  const simple = simplify(text);
  if (!simple) return undefined;
  const byPhrase = phraseToCommand.get(simple);
  if (byPhrase) return byPhrase;
  // Labels of buttons that name a command, as the content shows them.
  if (simple === simplifyLabel(texts.render('journeys.label.back-to-menu'))) return 'menu';
  if (simple === simplifyLabel(texts.render('journeys.privacy.label.export'))) return 'export';
  if (simple === simplifyLabel(texts.render('journeys.privacy.label.delete'))) return 'delete';
  return undefined;
}

/** The menu, in the order it is shown. Privacy and Help are global commands as well. */
export const MENU_ITEMS = ['entitlements', 'housing', 'work-learning', 'check-in', 'people', 'question', 'privacy', 'help'] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

export function menuLabelId(item: MenuItem): TextId {
  return `journeys.menu.${item}` as TextId;
}

const MENU_PHRASES: Record<MenuItem, readonly string[]> = {
  entitlements: ['entitlements', 'my entitlements', 'checklist', 'my checklist', 'what am i owed', "what i'm owed", 'what im owed', 'money'],
  housing: ['housing', 'my housing', 'housing goals', 'my home', 'a home'],
  'work-learning': ['work and learning', 'work', 'learning', 'jobs', 'job', 'education', 'college', 'work learning'],
  'check-in': ['check in', 'checkin', 'check-in', 'mood', 'check in now'],
  people: ['my people', 'people', 'my tribe', 'trusted adults', 'trusted people'],
  question: ['ask a question', 'question', 'i have a question', 'ask'],
  privacy: ['privacy'],
  help: ['help'],
};

/**
 * A menu choice: our button token (`menu:<item>`), a label as shown, a phrase, or, when
 * `allowNumber` (no dialog is waiting for an answer), the number of the item in the text menu.
 */
export function recogniseMenuItem(text: string, texts: Texts, allowNumber: boolean): MenuItem | undefined {
  if (text.startsWith('menu:')) {
    const item = text.slice(5) as MenuItem;
    return MENU_ITEMS.includes(item) ? item : undefined;
  }
  const simple = simplify(text);
  if (!simple) return undefined;
  if (allowNumber && /^\d$/.test(simple)) return MENU_ITEMS[Number(simple) - 1];
  for (const item of MENU_ITEMS) {
    if (simplifyLabel(texts.render(menuLabelId(item))) === simple) return item;
    if (MENU_PHRASES[item].some((phrase) => simplifyLabel(phrase) === simple)) return item;
  }
  return undefined;
}

/** A greeting on its own ("hi", "hello there"): answered with a welcome, not a search. */
export function isGreeting(text: string): boolean {
  return /^(hi|hiya|hey|hello|helo|yo|oi|hey there|hi there|hello there|good morning|good afternoon|good evening|morning|sup|wassup|whats up|what's up|alright)( tribe)?$/.test(
    simplify(text),
  );
}

/** Looks like a question: ends with "?" or starts with a question word. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.endsWith('?')) return true;
  return /^(what|whats|what's|how|can|could|where|when|who|why|which|do|does|did|is|are|am|will|would|should|shall|may|if)\b/i.test(trimmed) && trimmed.split(/\s+/).length >= 3;
}
