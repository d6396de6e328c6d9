import { ActivityTypes, type BotAdapter, ComponentRegistration, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet } from 'botbuilder-dialogs';
import { shareDialogsComponentRegistration } from '../../../bot/dialog-fast-paths';

/** TribeBot lets every DialogContext share one DialogsComponentRegistration instead of building one each. */
describe('shareDialogsComponentRegistration', () => {
  const newTurn = () => new TurnContext({} as BotAdapter, { type: ActivityTypes.Message });
  const stateOf = (context: TurnContext) => new DialogContext(new DialogSet(), context, { dialogStack: [] }).state;
  const registrations = () => ComponentRegistration.components.filter((component) => component.constructor.name === 'DialogsComponentRegistration');

  it('finds the library’s class (fails loudly if botbuilder-dialogs moves it)', () => {
    expect(shareDialogsComponentRegistration()).toBe(true);
    expect(shareDialogsComponentRegistration()).toBe(true);
  });

  it('registers one instance, the same for every dialog context', () => {
    shareDialogsComponentRegistration();
    stateOf(newTurn());
    const [first] = registrations();
    stateOf(newTurn());
    stateOf(newTurn());
    expect(registrations()).toHaveLength(1);
    expect(registrations()[0]).toBe(first);
  });

  it('gives the memory scopes and path resolvers the library’s own registration gives', () => {
    shareDialogsComponentRegistration();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DialogsComponentRegistration } = require('botbuilder-dialogs/lib/dialogsComponentRegistration') as {
      DialogsComponentRegistration: new () => { getMemoryScopes(): object[]; getPathResolvers(): object[] };
    };
    const names = (registration: { getMemoryScopes(): object[]; getPathResolvers(): object[] }) => ({
      scopes: registration.getMemoryScopes().map((scope) => scope.constructor.name),
      resolvers: registration.getPathResolvers().map((resolver) => resolver.constructor.name),
    });
    const shared = new DialogsComponentRegistration();
    expect(new DialogsComponentRegistration()).toBe(shared);
    const configuration = stateOf(newTurn()).configuration;
    expect(names(shared).scopes).toEqual(configuration.memoryScopes.map((scope) => scope.constructor.name));
    expect(names(shared).resolvers).toEqual(configuration.pathResolvers.map((resolver) => resolver.constructor.name));
    expect(names(shared).scopes).toEqual(expect.arrayContaining(['TurnMemoryScope', 'DialogMemoryScope', 'ConversationMemoryScope']));
  });

  it('still resolves turn memory per turn', () => {
    shareDialogsComponentRegistration();
    const state = stateOf(newTurn());
    state.setValue('turn.answer', 42);
    expect(state.getValue('turn.answer')).toBe(42);
    expect(stateOf(newTurn()).getValue('turn.answer')).toBeUndefined();
  });
});
