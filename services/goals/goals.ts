import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Clock, londonDate } from '../clock';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import { addDays } from '../content/catalog';
import type { Collection, DocumentStore } from '../store/port';
import { type GoalArea, OWN_WORDS_PLAN, planById, stepTemplateId } from './goal-plans';
import { indexesOnFirstUse } from '../store/indexes';

/** Housing and work-and-learning goals, each broken into dated steps linked to entitlements. */
export const GOALS_COLLECTION = 'goals';
export const MAX_ACTIVE_GOALS = 10;

export const ownWordsSchema = z.string().trim().min(2).max(200);
const isoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface GoalStep {
  /** Step number within its goal, from 1. */
  n: number;
  /** The moderated words of the step: `journeys.goal.<plan>.step-<n>`. */
  templateId: string;
  dueOn: string;
  entitlements: string[];
  doneAt: string | null;
}

export interface Goal {
  _id: string;
  userKey: string;
  area: GoalArea;
  planId: string;
  /** Only for a goal in the young person's own words. */
  ownWords: string | null;
  steps: GoalStep[];
  status: 'active' | 'done' | 'dropped';
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

export class UnknownGoalPlanError extends Error {
  override readonly name = 'UnknownGoalPlanError';
}

export class TooManyGoalsError extends Error {
  override readonly name = 'TooManyGoalsError';
}

export class Goals implements PersonalDataHolder {
  readonly section = 'goals';
  private readonly goals: Collection<Goal>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.goals = store.collection<Goal>(GOALS_COLLECTION);
  }

  private readonly ensureIndexes = indexesOnFirstUse(() => [this.goals.createIndex({ userKey: 1, area: 1 })]);

  /** Sets a goal from a plan (or in their own words, with `ownWords`); steps get dates from today. */
  async create(userKey: string, area: GoalArea, planId: string, ownWords?: string): Promise<Goal> {
    await this.ensureIndexes();
    const plan = planById(planId);
    if (!plan || (plan.area !== area && plan.area !== 'any')) throw new UnknownGoalPlanError(`no ${area} goal plan "${planId}"`);
    if ((planId === OWN_WORDS_PLAN) !== (ownWords !== undefined)) throw new UnknownGoalPlanError('own words go with the own-words plan only');
    if ((await this.goals.countDocuments({ userKey, status: 'active' })) >= MAX_ACTIVE_GOALS) {
      throw new TooManyGoalsError(`at most ${MAX_ACTIVE_GOALS} active goals`);
    }
    const now = this.clock.now();
    const today = londonDate(now);
    const goal: Goal = {
      _id: `goal-${randomUUID()}`,
      userKey,
      area,
      planId,
      ownWords: ownWords === undefined ? null : ownWordsSchema.parse(ownWords),
      steps: plan.steps.map((step, index) => ({
        n: index + 1,
        templateId: stepTemplateId(planId, index),
        dueOn: addDays(today, step.dueInDays),
        entitlements: [...step.entitlements],
        doneAt: null,
      })),
      status: 'active',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.goals.insertOne(goal);
    return goal;
  }

  async list(userKey: string, area?: GoalArea): Promise<Goal[]> {
    await this.ensureIndexes();
    return this.goals.find({ userKey, status: 'active', ...(area ? { area } : {}) }, { sort: { createdAt: 1 } });
  }

  async get(userKey: string, goalId: string): Promise<Goal | null> {
    return this.goals.findOne({ _id: goalId, userKey });
  }

  /** Ticks a step off; when it was the last one the goal is done. Returns the goal as it is now. */
  async completeStep(userKey: string, goalId: string, n: number): Promise<Goal | null> {
    const goal = await this.get(userKey, goalId);
    if (!goal || goal.status !== 'active') return null;
    const now = this.clock.now().toISOString();
    const steps = goal.steps.map((step) => (step.n === n && step.doneAt === null ? { ...step, doneAt: now } : step));
    const status = steps.every((step) => step.doneAt !== null) ? 'done' : 'active';
    // only if nobody changed the goal since it was read (another tab, another instance)
    const result = await this.goals.updateOne({ _id: goalId, userKey, updatedAt: goal.updatedAt }, { $set: { steps, status, updatedAt: now } });
    if (result.matchedCount !== 1) return null;
    return { ...goal, steps, status, updatedAt: now };
  }

  /** Moves a step that is not done yet to a new day (YYYY-MM-DD, already checked). Null if there is no such step. */
  async redateStep(userKey: string, goalId: string, n: number, dueOn: string): Promise<Goal | null> {
    if (!isoDaySchema.safeParse(dueOn).success) throw new RangeError('a due date is YYYY-MM-DD');
    const goal = await this.get(userKey, goalId);
    if (!goal || goal.status !== 'active') return null;
    if (!goal.steps.some((step) => step.n === n && step.doneAt === null)) return null;
    const now = this.clock.now().toISOString();
    const steps = goal.steps.map((step) => (step.n === n ? { ...step, dueOn } : step));
    const result = await this.goals.updateOne(
      { _id: goalId, userKey, status: 'active', updatedAt: goal.updatedAt },
      { $set: { steps, updatedAt: now } },
    );
    if (result.matchedCount !== 1) return null;
    return { ...goal, steps, updatedAt: now };
  }

  /** Drops a goal they no longer want: it leaves their lists (and the checklist's links). False if it was not active. */
  async drop(userKey: string, goalId: string): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const result = await this.goals.updateOne({ _id: goalId, userKey, status: 'active' }, { $set: { status: 'dropped', droppedAt: now, updatedAt: now } });
    return result.matchedCount === 1;
  }

  async exportFor(userKey: string): Promise<unknown> {
    const all = await this.goals.find({ userKey }, { sort: { createdAt: 1 } });
    return all.map(({ area, planId, ownWords, steps, status, createdAt }) => ({
      area,
      goal: planId,
      ownWords,
      status,
      setOn: createdAt,
      steps: steps.map(({ n, templateId, dueOn, entitlements, doneAt }) => ({ n, step: templateId, dueOn, entitlements, doneAt })),
    }));
  }

  async eraseFor(userKey: string): Promise<number> {
    return (await this.goals.deleteMany({ userKey })).deletedCount;
  }
}
