import type { InviteCodes, RedeemResult } from '../advisers/invite-codes';
import { raiseConcern, requestOwnerNotice, type EscalationDeps } from '../escalations';
import type { ProfileRepository } from './profile-repository';

/**
 * Reaching a young person's personal adviser (PA) from the journeys, through the escalation
 * service, so every request has an owner (their PA, or the duty team) and is persisted before
 * the young person is told. The words stored as the excerpt are moderated templates, never
 * something the young person typed.
 */
export interface Asker {
  userKey: string;
  conversationKey: string;
}

export type Owner = 'adviser' | 'duty';

export interface PaContact {
  /** Redeems a PA's invite code and links the profile to that adviser. */
  redeemCode(code: string, userKey: string): Promise<RedeemResult>;
  /** "Talk to my PA": asks the owner to get in touch. */
  requestContact(asker: Asker): Promise<Owner>;
  /** A journey heard they are sofa-surfing or have nowhere to stay: a high homelessness concern. */
  reportHomelessness(asker: Asker): Promise<void>;
  /** A low check-in, and they said yes to telling their PA. */
  tellAboutLowMood(asker: Asker, mood: number): Promise<Owner>;
}

export interface PaContactDeps {
  escalations: EscalationDeps;
  inviteCodes: Pick<InviteCodes, 'redeemInviteCode'>;
  profiles: ProfileRepository;
  /** Moderated words for the excerpt an adviser reads. */
  render(id: string, params?: Readonly<Record<string, string | number>>): string;
}

/** Category ids beyond the contract's: a request to talk, not a safety worry. */
export const CONTACT_REQUEST_CATEGORY = 'contact_request';

export function createPaContact(deps: PaContactDeps): PaContact {
  const ownerOf = (kind: 'adviser' | 'duty'): Owner => kind;
  return {
    async redeemCode(code, userKey) {
      const result = await deps.inviteCodes.redeemInviteCode(code, userKey);
      if (result.ok) await deps.profiles.update(userKey, { adviserId: result.adviserId });
      return result;
    },
    async requestContact(asker) {
      const raised = await raiseConcern(deps.escalations, {
        ...asker,
        severity: 'medium',
        category: CONTACT_REQUEST_CATEGORY,
        messageText: deps.render('journeys.pa.excerpt.contact-request'),
      });
      await requestOwnerNotice(deps.escalations, raised.escalation._id, asker.userKey);
      return ownerOf(raised.owner.kind);
    },
    async reportHomelessness(asker) {
      await raiseConcern(deps.escalations, {
        ...asker,
        severity: 'high',
        category: 'homelessness',
        messageText: deps.render('journeys.pa.excerpt.homeless'),
      });
    },
    async tellAboutLowMood(asker, mood) {
      const raised = await raiseConcern(deps.escalations, {
        ...asker,
        severity: 'medium',
        category: 'mental_health',
        messageText: deps.render('journeys.pa.excerpt.low-mood', { mood }),
      });
      await requestOwnerNotice(deps.escalations, raised.escalation._id, asker.userKey);
      return ownerOf(raised.owner.kind);
    },
  };
}
