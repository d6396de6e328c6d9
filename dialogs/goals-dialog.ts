import type { TurnContext } from 'botbuilder';
import {
  ChoicePrompt,
  ComponentDialog,
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { type GoalArea, goalTemplateId, OWN_WORDS_PLAN, plansFor } from '../services/goals/goal-plans';
import { type Goal, type GoalStep, ownWordsSchema, TooManyGoalsError } from '../services/goals/goals';
import { HOMELESS_HOMES, type Home } from '../services/profiles/profile';
import { readableDate } from './dates';
import { amountText } from './entitlements-dialog';
import type { JourneyServices, TextId } from './journey-services';
import { homePrompt, saveHome } from './onboarding-dialog';
import { choicePrompt, type ChoiceSpec, reply, sayTemplate } from './prompts';
import { profileOf } from './session';
import { userKey } from './turn';

/**
 * Goals, in two journeys that work the same way: housing (where they live now, then goals such as
 * my own flat or stay put) and work and learning (apprenticeship, college, university, first job,
 * CV, driving licence, with the bursaries that apply). A goal comes from a plan or their own
 * words, and is broken into dated steps, each linked to the entitlement that helps.
 */

abstract class GoalsDialog extends ComponentDialog {
  private readonly ids;

  protected constructor(
    id: string,
    protected readonly area: GoalArea,
    protected readonly services: JourneyServices,
  ) {
    super(id);
    this.ids = {
      steps: `${id}.steps`,
      home: `${id}.home#home`,
      action: `${id}.action`,
      plan: `${id}.plan`,
      ownWords: `${id}.own-words#free`,
      tick: `${id}.tick`,
      newGoal: `${id}.new-goal`,
      changeHome: `${id}.change-home`,
    };
    this.addDialog(new ChoicePrompt(this.ids.home));
    this.addDialog(new ChoicePrompt(this.ids.action));
    this.addDialog(new ChoicePrompt(this.ids.plan));
    this.addDialog(new ChoicePrompt(this.ids.tick));
    this.addDialog(
      new TextPrompt(this.ids.ownWords, async (prompt) => {
        if (ownWordsSchema.safeParse(prompt.recognized.value ?? '').success) return true;
        await reply(prompt.context, this.t('journeys.goals.own-words-retry'));
        return false;
      }),
    );
    this.addDialog(
      new WaterfallDialog(this.ids.changeHome, [
        async (step) => step.prompt(this.ids.home, homePrompt(step.context, this.services)),
        async (step) => {
          await this.homeAnswered(step.context, (step.result as FoundChoice).value);
          return step.endDialog();
        },
      ]),
    );
    this.addDialog(new WaterfallDialog(this.ids.newGoal, [this.askPlan.bind(this), this.askOwnWords.bind(this), this.createGoal.bind(this)]));
    this.addDialog(new WaterfallDialog(this.ids.steps, [this.start.bind(this), this.overview.bind(this), this.act.bind(this), this.ticked.bind(this)]));
    this.initialDialogId = this.ids.steps;
  }

  protected t(id: TextId, params?: Record<string, string | number>): string {
    return (this.services.texts.render as (id: string, params?: Record<string, string | number>) => string)(id, params);
  }

  /** Housing first checks where they live; work and learning goes straight on. */
  protected abstract needsHome(context: TurnContext): Promise<boolean>;
  protected abstract askGoalId(): TextId;

  private async start(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (await this.needsHome(step.context)) return step.prompt(this.ids.home, homePrompt(step.context, this.services));
    return step.next();
  }

  private async overview(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const home = (step.result as FoundChoice | undefined)?.value;
    if (home) {
      await this.homeAnswered(context, home);
      if (HOMELESS_HOMES.has(home as Home)) return step.endDialog(); // the support shown is the last word this turn
    }
    const goals = await this.services.goals.list(userKey(context), this.area);
    if (goals.length === 0) return step.replaceDialog(this.ids.newGoal);
    await reply(context, [this.t('journeys.goals.your-goals'), ...goals.map((goal) => this.planText(goal))].join('\n\n'));
    const choices: ChoiceSpec[] = [
      { value: 'new', label: this.t('journeys.goals.label.new') },
      { value: 'tick', label: this.t('journeys.goals.label.tick') },
      ...(this.area === 'housing' ? [{ value: 'home', label: this.t('journeys.goals.label.housing-now') }] : []),
      { value: 'menu', label: this.t('journeys.label.back-to-menu') },
    ];
    return step.prompt(this.ids.action, choicePrompt(context, this.t('journeys.goals.options'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = (step.result as FoundChoice).value;
    if (choice === 'new') return step.replaceDialog(this.ids.newGoal);
    if (choice === 'home') return step.replaceDialog(this.ids.changeHome);
    if (choice === 'menu') return step.endDialog();
    const open = await this.openSteps(step.context);
    if (open.length === 0) {
      await sayTemplate(step.context, this.services.texts, 'journeys.goals.nothing-to-tick');
      return step.endDialog();
    }
    const choices = open.map(({ goal, step: goalStep }) => ({ value: `${goal._id}#${goalStep.n}`, label: this.stepWords(goal, goalStep) }));
    return step.prompt(this.ids.tick, choicePrompt(step.context, this.t('journeys.goals.tick-which'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async ticked(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const value = (step.result as FoundChoice).value;
    const [goalId, n] = value.split('#') as [string, string];
    const before = await this.services.goals.get(userKey(step.context), goalId);
    const goal = await this.services.goals.completeStep(userKey(step.context), goalId, Number(n));
    if (!goal || !before) return step.endDialog();
    const done = before.steps.find((candidate) => candidate.n === Number(n))!;
    await reply(step.context, this.t('journeys.goals.step-done', { step: this.stepWords(goal, done) }));
    if (goal.status === 'done') await reply(step.context, this.t('journeys.goals.goal-done', { goal: this.goalWords(goal) }));
    return step.endDialog();
  }

  private async askPlan(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choices = [
      ...plansFor(this.area).map((plan) => ({ value: plan.id, label: this.t(goalTemplateId(plan.id) as TextId) })),
      { value: OWN_WORDS_PLAN, label: this.t('journeys.label.own-words') },
    ];
    return step.prompt(this.ids.plan, choicePrompt(step.context, this.t(this.askGoalId()), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async askOwnWords(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const plan = (step.result as FoundChoice).value;
    (step.values as Record<string, unknown>).plan = plan;
    if (plan !== OWN_WORDS_PLAN) return step.next();
    return step.prompt(this.ids.ownWords, { prompt: this.t('journeys.goals.ask-own-words') });
  }

  private async createGoal(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const plan = (step.values as Record<string, unknown>).plan as string;
    const ownWords = plan === OWN_WORDS_PLAN ? ownWordsSchema.parse(String(step.result)) : undefined;
    let goal: Goal;
    try {
      goal = await this.services.goals.create(userKey(context), this.area, plan, ownWords);
    } catch (error) {
      if (!(error instanceof TooManyGoalsError)) throw error;
      await sayTemplate(context, this.services.texts, 'journeys.goals.too-many');
      return step.endDialog();
    }
    await reply(context, this.planText(goal));
    const money = await this.moneyText(context, goal);
    if (money) await reply(context, money);
    await sayTemplate(context, this.services.texts, 'journeys.goals.saved');
    return step.endDialog();
  }

  /** Saves where they live (homelessness goes to the safety route) and says so. */
  private async homeAnswered(context: TurnContext, home: string): Promise<void> {
    await saveHome(context, this.services, home);
    if (!HOMELESS_HOMES.has(home as Home) && home !== 'rather-not-say') await sayTemplate(context, this.services.texts, 'journeys.housing.home-saved');
  }

  /** Steps not done yet, across this area's goals, in order. */
  private async openSteps(context: TurnContext): Promise<Array<{ goal: Goal; step: GoalStep }>> {
    const goals = await this.services.goals.list(userKey(context), this.area);
    return goals.flatMap((goal) => goal.steps.filter((candidate) => candidate.doneAt === null).map((candidate) => ({ goal, step: candidate })));
  }

  private goalWords(goal: Goal): string {
    return goal.ownWords ?? this.t(goalTemplateId(goal.planId) as TextId);
  }

  private stepWords(_goal: Goal, step: GoalStep): string {
    return this.t(step.templateId as TextId);
  }

  /** The goal and its steps with dates, each with the entitlement that helps. */
  protected planText(goal: Goal): string {
    const lines = goal.steps.map((step) => {
      const words = this.stepWords(goal, step);
      if (step.doneAt) return this.t('journeys.goals.step-line-done', { n: step.n, step: words });
      const date = readableDate(step.dueOn);
      const help = step.entitlements
        .map((id) => this.services.tracker.find(id)?.title)
        .filter((title): title is string => Boolean(title))
        .join(', ');
      return help ? this.t('journeys.goals.step-line-help', { n: step.n, step: words, date, help }) : this.t('journeys.goals.step-line', { n: step.n, step: words, date });
    });
    return [this.t('journeys.goals.plan-intro', { goal: this.goalWords(goal) }), ...lines].join('\n\n');
  }

  /** Work and learning: the bursaries (money) that apply to this goal and to them. */
  protected async moneyText(context: TurnContext, goal: Goal): Promise<string | null> {
    if (this.area !== 'work-learning') return null;
    const linked = new Set(goal.steps.flatMap((step) => step.entitlements));
    const items = await this.services.tracker.checklist(userKey(context), await profileOf(context, this.services));
    const lines = items
      .filter((item) => linked.has(item.entitlement.id) && item.entitlement.amount)
      .map(({ entitlement }) => {
        return this.t('journeys.work.money-line', { title: entitlement.title, amount: amountText(this.services, entitlement.amount!) });
      });
    return lines.length ? [this.t('journeys.work.money-intro'), ...lines].join('\n\n') : null;
  }
}

export const HOUSING_DIALOG = 'housing';
export const WORK_LEARNING_DIALOG = 'work-learning';

export class HousingDialog extends GoalsDialog {
  constructor(services: JourneyServices) {
    super(HOUSING_DIALOG, 'housing', services);
  }
  protected async needsHome(context: TurnContext): Promise<boolean> {
    return !(await profileOf(context, this.services))?.home;
  }
  protected askGoalId(): TextId {
    return 'journeys.housing.ask-goal';
  }
}

export class WorkLearningDialog extends GoalsDialog {
  constructor(services: JourneyServices) {
    super(WORK_LEARNING_DIALOG, 'work-learning', services);
  }
  protected async needsHome(): Promise<boolean> {
    return false;
  }
  protected askGoalId(): TextId {
    return 'journeys.work.ask-goal';
  }
}
