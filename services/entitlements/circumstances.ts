import type { Situation as Circumstance } from '../content/schemas';
import type { Home, Situation } from '../profiles/profile';

/**
 * What a young person's answers tell us about the circumstances the entitlement catalogue's
 * eligibility rules name (`eligibility.situations` in `content/entitlements/`). Each is yes, no,
 * or unknown; unknown never hides an entitlement, it marks it "ask your PA".
 *
 * This is a table, kept beside the rules it feeds so both read as data.
 */
export type Answer = 'yes' | 'no' | 'unknown';

export interface Facts {
  age?: number;
  /** Undefined when they have not said. */
  situations?: readonly Situation[];
  home?: Home;
  /** Plans of their active goals (`services/goals/goal-plans.ts`). */
  goalPlans: readonly string[];
}

const SETTLED_HOMES: readonly Home[] = ['foster-carers', 'supported-lodgings', 'semi-independent', 'own-tenancy'];

function homeIs(facts: Facts, yes: readonly Home[], no: readonly Home[]): Answer {
  if (!facts.home) return 'unknown';
  if (yes.includes(facts.home)) return 'yes';
  if (no.includes(facts.home)) return 'no';
  return 'unknown';
}

function doing(facts: Facts, situation: Situation): Answer {
  if (!facts.situations) return 'unknown';
  return facts.situations.includes(situation) ? 'yes' : 'no';
}

export const CIRCUMSTANCE_RULES: Record<Circumstance, (facts: Facts) => Answer> = {
  // Who was in care when, and for how long, is for the PA to confirm.
  'former-relevant-child': () => 'unknown',
  'looked-after-at-16-or-17': () => 'unknown',
  'looked-after-12-months-no-child-trust-fund': () => 'unknown',

  'in-foster-care-at-18': (facts) =>
    facts.home === 'foster-carers' ? 'yes' : facts.home && facts.age !== undefined && facts.age >= 18 ? 'no' : 'unknown',
  'in-council-arranged-home': (facts) =>
    homeIs(facts, ['supported-lodgings', 'semi-independent'], ['friends-or-family', 'sofa-surfing', 'nowhere']),
  'setting-up-home': (facts) =>
    facts.home === 'own-tenancy' || facts.goalPlans.includes('own-flat') ? 'yes' : 'unknown',
  'homeless-or-at-risk': (facts) => homeIs(facts, ['sofa-surfing', 'nowhere'], SETTLED_HOMES),
  'renting-with-housing-costs-help': (facts) =>
    homeIs(facts, [], ['foster-carers', 'supported-lodgings', 'sofa-surfing', 'nowhere']),
  'paying-council-tax': (facts) =>
    homeIs(facts, ['own-tenancy'], ['foster-carers', 'supported-lodgings', 'friends-or-family', 'sofa-surfing', 'nowhere']),
  'in-further-education-16-18': (facts) => {
    const answer = doing(facts, 'education');
    if (answer !== 'yes') return answer;
    return facts.age === undefined ? 'unknown' : facts.age <= 18 ? 'yes' : 'no';
  },
  'starting-higher-education': (facts) => (facts.goalPlans.includes('university') ? 'yes' : 'unknown'),
  'starting-apprenticeship': (facts) =>
    doing(facts, 'apprenticeship') === 'yes' || facts.goalPlans.includes('apprenticeship') ? 'yes' : 'unknown',
};

export function circumstance(name: Circumstance, facts: Facts): Answer {
  return CIRCUMSTANCE_RULES[name](facts);
}
