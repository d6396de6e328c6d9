/**
 * Goal plans: the steps each goal template breaks into, when each step is due (days from the day
 * the goal is set), and the entitlements each step links to. The words live in moderated templates
 * (`journeys.goal.<plan>` and `journeys.goal.<plan>.step-<n>`); this table holds only structure,
 * and start-up checks every template and entitlement id it names (`goalPlanProblems`).
 */
export const GOAL_AREAS = ['housing', 'work-learning'] as const;
export type GoalArea = (typeof GOAL_AREAS)[number];

export interface StepPlan {
  /** Days after the goal is set that the step is due. */
  dueInDays: number;
  /** Content ids of the entitlements this step helps claim. */
  entitlements: readonly string[];
}

export interface GoalPlan {
  id: string;
  /** `any`: the plan for a goal in the young person's own words, in either area. */
  area: GoalArea | 'any';
  steps: readonly StepPlan[];
}

/** Entitlement content ids (engineer D's catalogue, `content/entitlements/`). */
export const ENTITLEMENT = {
  personalAdviser: 'entitlement.personal-adviser',
  pathwayPlan: 'entitlement.pathway-plan',
  stayingPut: 'entitlement.staying-put',
  settingUpHome: 'entitlement.setting-up-home-allowance',
  heBursary: 'entitlement.higher-education-bursary',
  apprenticeshipBursary: 'entitlement.apprenticeship-bursary',
  bursary16to19: 'entitlement.bursary-16-19',
  priorityNeed: 'entitlement.priority-need-housing',
  sharedRateExemption: 'entitlement.shared-accommodation-rate',
  councilTax: 'entitlement.council-tax-exemption',
  covenant: 'entitlement.care-leaver-covenant',
  localOffer: 'entitlement.local-offer',
} as const;

const E = ENTITLEMENT;

export const GOAL_PLANS: readonly GoalPlan[] = [
  {
    id: 'own-flat',
    area: 'housing',
    steps: [
      { dueInDays: 7, entitlements: [E.personalAdviser, E.pathwayPlan] },
      { dueInDays: 14, entitlements: [E.priorityNeed] },
      { dueInDays: 21, entitlements: [E.sharedRateExemption] },
      { dueInDays: 30, entitlements: [E.settingUpHome] },
      { dueInDays: 45, entitlements: [E.councilTax] },
    ],
  },
  {
    id: 'keep-tenancy',
    area: 'housing',
    steps: [
      { dueInDays: 7, entitlements: [E.sharedRateExemption] },
      { dueInDays: 14, entitlements: [E.councilTax] },
      { dueInDays: 14, entitlements: [E.personalAdviser] },
      { dueInDays: 30, entitlements: [] },
    ],
  },
  {
    id: 'move-nearer',
    area: 'housing',
    steps: [
      { dueInDays: 7, entitlements: [] },
      { dueInDays: 14, entitlements: [E.pathwayPlan] },
      { dueInDays: 30, entitlements: [E.priorityNeed] },
    ],
  },
  {
    id: 'stay-put',
    area: 'housing',
    steps: [
      { dueInDays: 7, entitlements: [E.stayingPut] },
      { dueInDays: 14, entitlements: [E.stayingPut, E.pathwayPlan] },
      { dueInDays: 60, entitlements: [E.stayingPut] },
    ],
  },
  {
    id: 'apprenticeship',
    area: 'work-learning',
    steps: [
      { dueInDays: 7, entitlements: [] },
      { dueInDays: 14, entitlements: [] },
      { dueInDays: 30, entitlements: [E.apprenticeshipBursary] },
      { dueInDays: 60, entitlements: [E.apprenticeshipBursary] },
    ],
  },
  {
    id: 'college',
    area: 'work-learning',
    steps: [
      { dueInDays: 7, entitlements: [] },
      { dueInDays: 21, entitlements: [] },
      { dueInDays: 30, entitlements: [E.bursary16to19] },
    ],
  },
  {
    id: 'university',
    area: 'work-learning',
    steps: [
      { dueInDays: 14, entitlements: [] },
      { dueInDays: 60, entitlements: [] },
      { dueInDays: 60, entitlements: [E.heBursary] },
      { dueInDays: 90, entitlements: [E.heBursary] },
    ],
  },
  {
    id: 'first-job',
    area: 'work-learning',
    steps: [
      { dueInDays: 7, entitlements: [] },
      { dueInDays: 14, entitlements: [E.covenant] },
      { dueInDays: 21, entitlements: [] },
    ],
  },
  {
    id: 'cv',
    area: 'work-learning',
    steps: [
      { dueInDays: 3, entitlements: [] },
      { dueInDays: 7, entitlements: [] },
      { dueInDays: 14, entitlements: [] },
    ],
  },
  {
    id: 'driving-licence',
    area: 'work-learning',
    steps: [
      { dueInDays: 14, entitlements: [] },
      { dueInDays: 14, entitlements: [E.localOffer] },
      { dueInDays: 30, entitlements: [] },
    ],
  },
  /** A goal in their own words gets these general steps. */
  {
    id: 'own-words',
    area: 'any',
    steps: [
      { dueInDays: 3, entitlements: [] },
      { dueInDays: 14, entitlements: [E.personalAdviser] },
      { dueInDays: 30, entitlements: [] },
    ],
  },
];

export const OWN_WORDS_PLAN = 'own-words';

export function plansFor(area: GoalArea): GoalPlan[] {
  return GOAL_PLANS.filter((plan) => plan.area === area);
}

export function planById(id: string): GoalPlan | undefined {
  return GOAL_PLANS.find((plan) => plan.id === id);
}

/** Template ids a plan's words come from. */
export function goalTemplateId(planId: string): string {
  return `journeys.goal.${planId}`;
}

export function stepTemplateId(planId: string, index: number): string {
  return `journeys.goal.${planId}.step-${index + 1}`;
}

/** Every template or entitlement a plan names that the content cannot serve; empty when all is well. */
export function goalPlanProblems(exists: (contentId: string) => boolean): string[] {
  const problems: string[] = [];
  for (const plan of GOAL_PLANS) {
    if (plan.id !== OWN_WORDS_PLAN && !exists(goalTemplateId(plan.id))) problems.push(`goal "${plan.id}" has no template ${goalTemplateId(plan.id)}`);
    plan.steps.forEach((step, index) => {
      if (!exists(stepTemplateId(plan.id, index))) problems.push(`goal "${plan.id}" has no template ${stepTemplateId(plan.id, index)}`);
      for (const id of step.entitlements) if (!exists(id)) problems.push(`goal "${plan.id}" step ${index + 1} links to missing ${id}`);
    });
  }
  return problems;
}
