import { Dialog, type DialogContext, type DialogInstance, type DialogState, type DialogTurnResult } from 'botbuilder-dialogs';

/**
 * A journey (onboarding, the checklist, goals, check-in, my people, privacy, a question): the
 * waterfalls and prompts it asks with, kept together and started by the journey's id.
 *
 * The parts run in the root dialog's own set, not inside a ComponentDialog of the journey's own.
 * A ComponentDialog would put one more level under the root: on every message another
 * DialogContext (with its own memory scopes), and another round of continue, end and resume calls,
 * for nothing a journey uses. Flat, the root's stack holds the journey's waterfall and its prompt
 * directly, and behaves the same: the waterfall's ids, options, values and results are those the
 * component held, `replaceDialog` replaces within the journey's place on the stack, and when the
 * journey's last waterfall ends, control returns to whatever started it. One difference:
 * `cancelAllDialogs` from inside a journey ends the root's whole stack, not just the journey (the
 * only use, erasing a young person's data, means exactly that). The parts' ids are prefixed with
 * the journey's, so they are unique in the root's set (the root checks).
 *
 * Saved state in this layout is not readable by versions before it: upgrade with no older instance
 * still serving (see the README's deployment notes).
 */
export abstract class JourneyDialog<O extends object = object> extends Dialog<O> {
  /** The journey's waterfalls and prompts, for the root dialog's set. */
  readonly parts: Dialog[] = [];
  /** The waterfall the journey starts with. */
  protected initialDialogId = '';

  protected addDialog(dialog: Dialog): this {
    this.parts.push(dialog);
    if (!this.initialDialogId) this.initialDialogId = dialog.id;
    return this;
  }

  /** Starting the journey starts its first waterfall in its place on the stack, with the same options. */
  override beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    return dc.replaceDialog(this.initialDialogId, options);
  }
}

/**
 * Conversations saved before journeys were flat hold each journey as a ComponentDialog instance
 * whose own stack sits in its state (`state.dialogs.dialogStack`). In the flat layout the same
 * instances sit on the root's stack in its place, so an old conversation carries on where it was.
 * Changes `stack` in place; returns whether it changed anything.
 */
export function flattenJourneyStack(stack: DialogInstance[], journeyIds: ReadonlySet<string>): boolean {
  let changed = false;
  for (let index = 0; index < stack.length; index += 1) {
    const instance = stack[index]!;
    if (!journeyIds.has(instance.id)) continue;
    const inner = (instance.state as { dialogs?: Partial<DialogState> } | undefined)?.dialogs?.dialogStack;
    if (!Array.isArray(inner)) continue;
    flattenJourneyStack(inner, journeyIds);
    stack.splice(index, 1, ...inner);
    index += inner.length - 1;
    changed = true;
  }
  return changed;
}
