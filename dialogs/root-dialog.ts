import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';

export const ROOT_DIALOG = 'root';

/** Entry point of every conversation turn that the safety screen lets through. */
export class RootDialog extends ComponentDialog {
  constructor() {
    super(ROOT_DIALOG);
    this.addDialog(
      new WaterfallDialog('root.greet', [
        async (step: WaterfallStepContext) => {
          await step.context.sendActivity("Hi, I'm Tribe. I'm here to help with what you're owed, housing, and work or learning.");
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = 'root.greet';
  }
}
