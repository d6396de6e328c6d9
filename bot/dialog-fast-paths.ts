import { ActivityTypes, type BotAdapter, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';

/**
 * Fast paths around botbuilder-dialogs' per-turn set-up, each found by watching the library and
 * each falling back to the library's own behaviour should a later version change it (tests check
 * that they still take hold). Measured under bench/turns; see the README's benchmark notes.
 */

/**
 * `DialogContext.continueDialog` first emits an "activityReceived" event from the waiting dialog up
 * through its parents, unless turn state says it was emitted already. In botbuilder-dialogs only a
 * waiting prompt answers it, by recognising the message (and, for a choice prompt that does not
 * find the words, running the number and ordinal recognisers: 0.1 ms), and it recognises the same
 * message again when it continues. None of Tribe's dialogs handles the event, so Tribe marks it as
 * emitted and each message is recognised once. The mark is a private symbol; it is found once by
 * watching the library set it. Should a later version change that, the event is emitted as before.
 * (A dialog that wants to intercept messages before the waiting prompt belongs in RootDialog's
 * `interrupt`, which runs first anyway.)
 */
let activityReceivedMark: symbol | null | undefined;

function findActivityReceivedMark(): symbol | null {
  const context = new TurnContext({} as BotAdapter, { type: ActivityTypes.Message });
  const before = new Set(context.turnState.keys());
  new DialogContext(new DialogSet(), context, { dialogStack: [] }).continueDialog().catch(() => undefined);
  const added = [...context.turnState.keys()].filter((key) => !before.has(key));
  const mark = added.find((key): key is symbol => typeof key === 'symbol' && key.description === 'ActivityReceivedEmitted');
  return mark ?? null;
}

export function skipActivityReceivedEvent(context: TurnContext): boolean {
  activityReceivedMark ??= findActivityReceivedMark();
  if (!activityReceivedMark) return false;
  context.turnState.set(activityReceivedMark, true);
  return true;
}

/**
 * Every DialogContext has a DialogStateManager, and the first one in a turn builds the memory-scope
 * configuration afresh (nine scopes and five path resolvers through a new ServiceCollection, and a
 * zod parse): about 3% of a turn's CPU under bench/turns. It then keeps it in turn state for the
 * turn's other contexts. The scopes hold no state of their own (they read the dialog context they
 * are given), so one configuration, built the library's own way, serves every turn. The turn-state
 * key is found once by watching the library set it; should a later version change that, each turn
 * builds its own as before.
 */
let memoryConfiguration: { key: string; configuration: DialogStateManagerConfiguration } | null | undefined;

function findMemoryConfiguration(): typeof memoryConfiguration {
  const context = new TurnContext({} as BotAdapter, { type: ActivityTypes.Message });
  const before = new Set(context.turnState.keys());
  const { configuration } = new DialogContext(new DialogSet(), context, { dialogStack: [] }).state;
  const key = [...context.turnState.keys()].find((added) => !before.has(added) && context.turnState.get(added) === configuration);
  return typeof key === 'string' ? { key, configuration } : null;
}

export function shareMemoryConfiguration(context: TurnContext): boolean {
  memoryConfiguration ??= findMemoryConfiguration();
  if (!memoryConfiguration) return false;
  context.turnState.set(memoryConfiguration.key, memoryConfiguration.configuration);
  return true;
}

/**
 * Every DialogContext's memory (its DialogStateManager) begins with
 * `ComponentRegistration.add(new DialogsComponentRegistration())`: a new ServiceCollection with the
 * factories of nine memory scopes and five path resolvers, built only to replace the previous
 * instance of the same class in the registry (which keeps one per class name). That is about a third
 * of what a DialogContext costs, and most of what it allocates, three or four times a turn. The
 * instance holds nothing but those factories, so one serves every dialog context: the library's
 * class is swapped, in its own module, for one that gives back the same instance each time (the
 * registry's entry is then unchanged). Should a later version move the class, nothing is swapped.
 */
type Registration = object;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const registrationModule = require('botbuilder-dialogs/lib/dialogsComponentRegistration') as { DialogsComponentRegistration?: new () => Registration };
let sharedRegistration: { Library: new () => Registration; Shared: new () => Registration } | null | undefined;

export function shareDialogsComponentRegistration(): boolean {
  if (sharedRegistration === undefined) {
    const Library = registrationModule.DialogsComponentRegistration;
    if (typeof Library !== 'function') {
      sharedRegistration = null;
    } else {
      let instance: Registration | undefined;
      // A constructor that returns an object: `new Shared()` gives that object, so always the one instance.
      const Shared = function Shared(): Registration {
        instance ??= new Library();
        return instance;
      } as unknown as new () => Registration;
      Shared.prototype = Library.prototype;
      registrationModule.DialogsComponentRegistration = Shared;
      sharedRegistration = { Library, Shared };
    }
  }
  return sharedRegistration !== null && registrationModule.DialogsComponentRegistration === sharedRegistration.Shared;
}
