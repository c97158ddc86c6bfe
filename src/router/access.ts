import type { AccessList, Config, ContactTier } from '../config/schema';
import type { Incident } from '../incident/incident';
import type { AccessDecision } from '../remediation/access-policy';

/**
 * Who may run a subcommand. Lists come from config `access`; the commander and who was paged come
 * from the incident of the channel the command is typed in.
 */
export type Audience =
  | 'anyone'
  | 'responders'
  | 'approvers'
  | 'commander-or-responders'
  | 'paged-commander-or-responders'
  | 'follow-up-owner-or-responders';

/** What a call is about, when who may run it depends on it (the owner of a follow-up). */
export interface AccessSubject {
  followUp?: number;
}

/**
 * A subcommand's declaration: one audience, or one with a stricter audience for some uses of it
 * (`verify --watch`). The router reads it to decide, and help reads it to say who may.
 */
export type AccessDeclaration<A> =
  | Audience
  | { who: Audience; stricter: { when: string; applies(args: A): boolean; who: Audience } };

const AUDIENCE_TEXT: Record<Audience, string> = {
  anyone: 'anyone',
  responders: 'responders',
  approvers: 'approvers',
  'commander-or-responders': 'responders or the incident’s commander',
  'paged-commander-or-responders': 'the people paged, responders or the incident’s commander',
  'follow-up-owner-or-responders': 'the follow-up’s owner or responders',
};

/** Who may run it, in words, for help: "anyone; with --watch, responders or the incident’s commander". */
export function describeAccess(access: AccessDeclaration<never>): string {
  if (typeof access === 'string') return AUDIENCE_TEXT[access];
  return `${AUDIENCE_TEXT[access.who]}; ${access.stricter.when}: ${AUDIENCE_TEXT[access.stricter.who]}`;
}

export interface AccessGate {
  /** Whether `user` is in `audience`; `incident` is the incident of the channel, if any. */
  check(
    audience: Audience,
    user: string,
    incident?: Incident,
    subject?: AccessSubject,
  ): Promise<AccessDecision>;
}

export interface AccessGateDeps {
  config: Pick<Config, 'access'>;
  /** Expands user groups of a list (cached): the remediation AccessPolicy fits. */
  lists: { check(list: AccessList, user: string): Promise<AccessDecision> };
  /** The tiers at which `user` was paged in `incident`: a bounded Redis read. */
  incidents: {
    pagedTiers(incident: Incident, user: string): Promise<ContactTier[]>;
    /** The owner of follow-up `number`: one Redis read. */
    followUpOwner(incident: Incident, number: number): Promise<string | undefined>;
  };
}

/**
 * The access model: configured lists, the incident's commander and the people it paged. Checks
 * that cost nothing come first, so an ack by the commander or a paged person never waits on Slack.
 */
export class ConfiguredAccessGate implements AccessGate {
  constructor(private readonly deps: AccessGateDeps) {}

  async check(
    audience: Audience,
    user: string,
    incident?: Incident,
    subject?: AccessSubject,
  ): Promise<AccessDecision> {
    const { access } = this.deps.config;
    switch (audience) {
      case 'anyone':
        return { allowed: true };
      case 'responders':
        return this.deps.lists.check(access.responders, user);
      case 'approvers':
        return this.deps.lists.check(access.approvers, user);
      case 'commander-or-responders':
        if (incident?.commander === user) return { allowed: true };
        return this.deps.lists.check(access.responders, user);
      case 'paged-commander-or-responders':
        if (incident?.commander === user) return { allowed: true };
        if (incident && (await this.deps.incidents.pagedTiers(incident, user)).length > 0)
          return { allowed: true };
        return this.deps.lists.check(access.responders, user);
      case 'follow-up-owner-or-responders':
        if (
          incident &&
          subject?.followUp !== undefined &&
          (await this.deps.incidents.followUpOwner(incident, subject.followUp)) === user
        )
          return { allowed: true };
        return this.deps.lists.check(access.responders, user);
    }
  }
}

/** The refusal a person sees: who may, and why they are not among them. */
export function refusalText(name: string, audience: Audience, reason: string): string {
  return `:no_entry_sign: Only ${AUDIENCE_TEXT[audience]} may use \`/incident ${name}\` (${reason}). Nothing was changed, and the refusal is on record. Ask one of them, or the Warroom operators to add you to \`access.responders\`${audience === 'approvers' ? ' or `access.approvers`' : ''}.`;
}

/** True when every list is `anyone` by omission: the operators should hear that at start-up. */
export function openAccessWarning(config: Pick<Config, 'access'>): string | undefined {
  const open = (['responders', 'approvers'] as const).filter((k) => config.access[k] === 'anyone');
  if (open.length === 0) return undefined;
  return `access.${open.join(' and access.')} ${open.length > 1 ? 'are' : 'is'} not set in the config, so anyone in the workspace may ${open.includes('responders') ? 'close incidents, page every tier, restart and roll back services' : ''}${open.length > 1 ? ' and ' : ''}${open.includes('approvers') ? 'approve remediation' : ''}. To resolve, list Slack user or user-group ids under access.responders and access.approvers in the config.`;
}
