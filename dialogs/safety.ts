import type { TurnContext } from 'botbuilder';
import type { Category, Severity } from '../services/safety/types';

/**
 * What the safety gate (bot/middleware/safety-gate.ts, which runs before any dialog) decided this
 * turn. Dialogs cannot import from bot/, so the turn-state key and the fields they read are
 * mirrored here; a test checks the key against the gate's.
 */
export const SAFETY_TURN_STATE = 'tribe.safety';

export interface SafetyVerdict {
  result: { severity: Severity; category: Category };
  escalationId: string | null;
  /** The gate already replied this turn (a concern, or the answer to its own question). */
  replied: boolean;
  handled: 'concern' | 'safe-check' | 'medium-offer' | null;
}

export function safetyOf(context: TurnContext): SafetyVerdict | undefined {
  return context.turnState.get(SAFETY_TURN_STATE) as SafetyVerdict | undefined;
}
