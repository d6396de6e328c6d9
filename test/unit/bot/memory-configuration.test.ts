import { ActivityTypes, type BotAdapter, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet } from 'botbuilder-dialogs';
import { shareMemoryConfiguration } from '../../../bot/dialog-fast-paths';

/** TribeBot gives every turn one memory-scope configuration instead of building one per turn. */
describe('shareMemoryConfiguration', () => {
  const newTurn = () => new TurnContext({} as BotAdapter, { type: ActivityTypes.Message });
  const stateOf = (context: TurnContext) => new DialogContext(new DialogSet(), context, { dialogStack: [] }).state;

  it('finds the library’s turn-state key (fails loudly if botbuilder-dialogs changes it)', () => {
    const first = newTurn();
    const second = newTurn();
    expect(shareMemoryConfiguration(first)).toBe(true);
    expect(shareMemoryConfiguration(second)).toBe(true);
    expect(stateOf(first).configuration).toBe(stateOf(second).configuration);
  });

  it('is the configuration the library builds: the same scopes and path resolvers', () => {
    const shared = newTurn();
    shareMemoryConfiguration(shared);
    const own = stateOf(newTurn()).configuration;
    const names = (configuration: typeof own) => ({
      scopes: configuration.memoryScopes.map((scope) => scope.constructor.name),
      resolvers: configuration.pathResolvers.map((resolver) => resolver.constructor.name),
    });
    expect(names(stateOf(shared).configuration)).toEqual(names(own));
  });

  it('still resolves turn and dialog memory per turn', () => {
    const context = newTurn();
    shareMemoryConfiguration(context);
    const state = stateOf(context);
    state.setValue('turn.answer', 42);
    expect(state.getValue('turn.answer')).toBe(42);
    expect(stateOf(newTurn()).getValue('turn.answer')).toBeUndefined();
  });
});
