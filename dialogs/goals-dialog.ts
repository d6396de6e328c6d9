import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import { londonDate } from '../services/clock';
import { addMonths } from '../services/content/catalog';
import { MAX_DUE_YEARS, parseDueDate } from '../services/goals/due-dates';
import { type GoalArea, goalTemplateId, OWN_WORDS_PLAN, plansFor } from '../services/goals/goal-plans';
import { type Goal, type GoalStep, ownWordsSchema, TooManyGoalsError } from '../services/goals/goals';
import { HOMELESS_HOMES, type Home } from '../services/profiles/profile';
import { adaptiveCard, cardActivity, textBlock } from './cards';
import { readableDate } from './dates';
import { amountText } from './entitlements-dialog';
import type { JourneyServices, TextId } from './journey-services';
import { homePrompt, saveHome, YES_NO_SYNONYMS } from './onboarding-dialog';
import { choicePrompt, type ChoiceSpec, exactAnswerOnly, markdown, reply, sayTemplate, suggestionChoices, TribeChoicePrompt } from './prompts';
import { profileOf } from './session';
import { supportsCards, userKey } from './turn';

/**
 * Goals, in two journeys that work the same way: housing (where they live now, then goals such as
 * my own flat or stay put) and work and learning (apprenticeship, college, university, first job,
 * CV, driving licence, with the bursaries that apply). A goal comes from a plan or their own
 * words, and is broken into dated steps, each linked to the entitlement that helps. From the goals
 * overview a young person can tick a step off, give a step a new date (typed or tapped: "next
 * Friday", "14/03/2027", "In two weeks"), or drop a goal (after a yes), each in two or three taps.
 */

/** The date picker on the new-date card, and its submit token. */
const DUE_DATE_INPUT = 'dueDate';
const DUE_DATE_TOKEN = 'submit:due-date';

/** The answer to "when by?": the card's date picker (YYYY-MM-DD) when that was submitted, else the words typed. */
function dateAnswer(context: TurnContext, typed: string | undefined): string {
  const value = context.activity.value as Record<string, unknown> | undefined;
  const picked = value && typeof value === 'object' && value.tribeAction === DUE_DATE_TOKEN ? value[DUE_DATE_INPUT] : undefined;
  if (typeof picked === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(picked) ? picked : '';
  return typed ?? '';
}

/** How a step flow was started: to tick a step off, or to give it a new date. */
interface StepFlowOptions {
  action: 'tick' | 'redate';
}

interface PickedStep {
  goalId: string;
  n: number;
}

/** The step picked in `pickStep`: its value is `<goal id>#<step number>`. */
function pickedStep(step: WaterfallStepContext): PickedStep {
  const [goalId, n] = (step.result as FoundChoice).value.split('#') as [string, string];
  return { goalId, n: Number(n) };
}

abstract class GoalsDialog extends JourneyDialog {
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
      tickFlow: `${id}.tick-step`,
      redateFlow: `${id}.redate-step`,
      dropFlow: `${id}.drop-goal`,
      pickStep: `${id}.pick-step`,
      pickGoal: `${id}.pick-goal`,
      date: `${id}.date`,
      confirmDrop: `${id}.confirm-drop`,
    };
    this.addDialog(new TribeChoicePrompt(this.ids.home));
    this.addDialog(new TribeChoicePrompt(this.ids.action));
    this.addDialog(new TribeChoicePrompt(this.ids.plan));
    this.addDialog(new TribeChoicePrompt(this.ids.tick));
    this.addDialog(new TribeChoicePrompt(this.ids.pickStep));
    this.addDialog(new TribeChoicePrompt(this.ids.pickGoal));
    this.addDialog(new TribeChoicePrompt(this.ids.confirmDrop, exactAnswerOnly));
    this.addDialog(
      new TextPrompt(this.ids.date, async (prompt) => {
        const parsed = parseDueDate(dateAnswer(prompt.context, prompt.recognized.value), londonDate(this.services.clock.now()));
        if (parsed.ok) return true;
        const id = parsed.problem === 'past' ? 'journeys.goals.date-past' : parsed.problem === 'too-far' ? 'journeys.goals.date-too-far' : 'journeys.goals.date-unclear';
        await sayTemplate(prompt.context, this.services.texts, id);
        return false;
      }),
    );
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
    this.addDialog(new WaterfallDialog(this.ids.tickFlow, [this.pickStep.bind(this), this.ticked.bind(this)]));
    this.addDialog(new WaterfallDialog(this.ids.redateFlow, [this.pickStep.bind(this), this.askDate.bind(this), this.redated.bind(this)]));
    this.addDialog(new WaterfallDialog(this.ids.dropFlow, [this.pickGoal.bind(this), this.confirmDrop.bind(this), this.dropped.bind(this)]));
    this.addDialog(new WaterfallDialog(this.ids.steps, [this.start.bind(this), this.overview.bind(this), this.act.bind(this)]));
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
      { value: 'redate', label: this.t('journeys.goals.label.redate') },
      { value: 'drop', label: this.t('journeys.goals.label.drop') },
      ...(this.area === 'housing' ? [{ value: 'home', label: this.t('journeys.goals.label.housing-now') }] : []),
      { value: 'menu', label: this.t('journeys.label.back-to-menu') },
    ];
    return step.prompt(this.ids.action, choicePrompt(context, this.t('journeys.goals.options'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = (step.result as FoundChoice).value;
    if (choice === 'new') return step.replaceDialog(this.ids.newGoal);
    if (choice === 'home') return step.replaceDialog(this.ids.changeHome);
    if (choice === 'tick') return step.replaceDialog(this.ids.tickFlow, { action: 'tick' } satisfies StepFlowOptions);
    if (choice === 'redate') return step.replaceDialog(this.ids.redateFlow, { action: 'redate' } satisfies StepFlowOptions);
    if (choice === 'drop') return step.replaceDialog(this.ids.dropFlow);
    return step.endDialog();
  }

  /** Which step (ticking off, or a new date): the steps not done yet, across this area's goals. */
  private async pickStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action } = step.options as StepFlowOptions;
    const open = await this.openSteps(step.context);
    if (open.length === 0) {
      await sayTemplate(step.context, this.services.texts, 'journeys.goals.nothing-to-tick');
      return step.endDialog();
    }
    const labels = open.map(({ goal, step: goalStep }) => this.stepWords(goal, goalStep));
    // Two goals can share a step's words (two goals in their own words): then each says its goal.
    const choices = open.map(({ goal, step: goalStep }, index) => ({
      value: `${goal._id}#${goalStep.n}`,
      label: labels.indexOf(labels[index]!) === labels.lastIndexOf(labels[index]!) ? labels[index]! : `${this.goalWords(goal)}: ${labels[index]!}`,
    }));
    const question = this.t(action === 'tick' ? 'journeys.goals.tick-which' : 'journeys.goals.redate-which');
    return step.prompt(this.ids.pickStep, choicePrompt(step.context, question, choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async ticked(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { goalId, n } = pickedStep(step);
    const before = await this.services.goals.get(userKey(step.context), goalId);
    const done = before?.steps.find((candidate) => candidate.n === n && candidate.doneAt === null);
    const goal = done ? await this.services.goals.completeStep(userKey(step.context), goalId, n) : null;
    if (!goal || !done) return this.notFound(step);
    await reply(step.context, this.t('journeys.goals.step-done', { step: this.stepWords(goal, done) }));
    if (goal.status === 'done') await reply(step.context, this.t('journeys.goals.goal-done', { goal: this.goalWords(goal) }));
    return step.endDialog();
  }

  private async askDate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked = pickedStep(step);
    const goal = await this.services.goals.get(userKey(step.context), picked.goalId);
    const goalStep = goal?.status === 'active' ? goal.steps.find((candidate) => candidate.n === picked.n && candidate.doneAt === null) : undefined;
    if (!goal || !goalStep) return this.notFound(step);
    (step.values as Record<string, unknown>).picked = picked;
    const id = 'journeys.goals.ask-date';
    const question = this.t(id, { step: this.stepWords(goal, goalStep) });
    const suggestions = this.services.texts.suggestions(id);
    if (!supportsCards(step.context)) return step.prompt(this.ids.date, { prompt: markdown(question, suggestions) });
    // A date picker on the card (a phone shows its own calendar), and the quick picks as buttons.
    const today = londonDate(this.services.clock.now());
    const card = adaptiveCard(
      [
        textBlock(question),
        { type: 'Input.Date', id: DUE_DATE_INPUT, min: today, max: addMonths(today, 12 * MAX_DUE_YEARS), value: goalStep.dueOn >= today ? goalStep.dueOn : today },
      ],
      question,
      [{ type: 'Action.Submit', title: this.t('journeys.goals.label.save-date'), data: { tribeAction: DUE_DATE_TOKEN } }],
    );
    const prompt = cardActivity(card);
    prompt.suggestedActions = MessageFactory.suggestedActions([...suggestions]).suggestedActions;
    return step.prompt(this.ids.date, { prompt });
  }

  private async redated(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { goalId, n } = (step.values as Record<string, unknown>).picked as PickedStep;
    const parsed = parseDueDate(dateAnswer(step.context, String(step.result)), londonDate(this.services.clock.now()));
    if (!parsed.ok) return step.endDialog(); // the prompt's validator has already said why
    const goal = await this.services.goals.redateStep(userKey(step.context), goalId, n, parsed.date);
    const moved = goal?.steps.find((candidate) => candidate.n === n);
    if (!goal || !moved) return this.notFound(step);
    await reply(step.context, this.t('journeys.goals.step-redated', { step: this.stepWords(goal, moved), date: readableDate(parsed.date) }));
    return step.endDialog();
  }

  /** Which goal to drop; with only one, it is that one (one tap fewer). */
  private async pickGoal(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const goals = await this.services.goals.list(userKey(step.context), this.area);
    if (goals.length === 0) return this.notFound(step);
    if (goals.length === 1) return step.next({ value: goals[0]!._id });
    const choices = goals.map((goal) => ({ value: goal._id, label: this.goalWords(goal) }));
    return step.prompt(this.ids.pickGoal, choicePrompt(step.context, this.t('journeys.goals.drop-which'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async confirmDrop(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const goalId = (step.result as Pick<FoundChoice, 'value'>).value;
    const goal = await this.services.goals.get(userKey(step.context), goalId);
    if (!goal || goal.status !== 'active') return this.notFound(step);
    (step.values as Record<string, unknown>).goalId = goalId;
    const choices = suggestionChoices(this.services.texts, 'journeys.goals.drop-confirm', ['yes', 'no'], YES_NO_SYNONYMS);
    const question = this.t('journeys.goals.drop-confirm', { goal: this.goalWords(goal) });
    return step.prompt(this.ids.confirmDrop, choicePrompt(step.context, question, choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async dropped(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if ((step.result as FoundChoice).value !== 'yes') {
      await sayTemplate(context, this.services.texts, 'journeys.goals.kept');
      return step.endDialog();
    }
    const goalId = (step.values as Record<string, unknown>).goalId as string;
    const goal = await this.services.goals.get(userKey(context), goalId);
    if (!goal || !(await this.services.goals.drop(userKey(context), goalId))) return this.notFound(step);
    await reply(context, this.t('journeys.goals.dropped', { goal: this.goalWords(goal) }));
    return step.endDialog();
  }

  /** The goal or step went while they were choosing (finished, dropped, or their data deleted elsewhere). */
  private async notFound(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await sayTemplate(step.context, this.services.texts, 'journeys.goals.not-found');
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
