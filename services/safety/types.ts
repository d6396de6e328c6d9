/**
 * The safety screen's contract (DESIGN.md, rule 1 and "Severities"/"Categories").
 *
 * - `urgent`: risk to life now. Crisis signposting in the same turn, urgent escalation.
 * - `high`: safeguarding (abuse, exploitation, homelessness tonight, no food or heating).
 * - `medium`: a worry to raise at the next contact. No crisis signposting.
 * - `none`: nothing to act on.
 */
export const SEVERITIES = ['none', 'medium', 'high', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'suicide_self_harm',
  'harm_from_others',
  'homelessness',
  'destitution',
  'mental_health',
  'exploitation',
  'medical_emergency',
  'none',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Rule ids of the medical-emergency lexicon start with this (content/safety/lexicon-medical-emergency.yaml). */
export const MEDICAL_RULE_PREFIX = 'medical.';

/**
 * Whether the words describe a medical emergency, whatever category leads: "my son cut his leg
 * and it won't stop bleeding" is filed under self-harm first, and still needs an ambulance.
 */
export function needsAmbulance(result: ScreenResult): boolean {
  return result.category === 'medical_emergency' || result.reasons.some((reason) => reason.startsWith(MEDICAL_RULE_PREFIX));
}

/** Who the risk is about: the person typing, or someone they are telling us about. */
export type About = 'self' | 'other';

export interface ScreenResult {
  severity: Severity;
  category: Category;
  /** Ids of the rules (and pipeline steps) that decided the result. Never message text. */
  reasons: string[];
  about: About;
  /** True when the reply in this turn must carry crisis signposting (always so for `urgent`). */
  needsCrisisSignposting: boolean;
}

/** Numeric order of severities: none 0 < medium 1 < high 2 < urgent 3. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}


/** A fresh "nothing to act on" result. */
export function noConcern(): ScreenResult {
  return { severity: 'none', category: 'none', reasons: [], about: 'self', needsCrisisSignposting: false };
}

/** The reason on a result the screen gave because the rules failed (a worry a person should see). */
export const SCREEN_ERROR_REASON = 'screen.error';
