/** `/incident escalate [tier] [reason]` — pages a tier now (by default the next one after those already paged). */

import { CONTACT_TIERS, type ContactTier } from '../src/config/schema';
import { parseOptions } from '../src/router/command-input';
import { defineIncidentSubcommand } from '../src/router/subcommand';

const MAX_REASON = 500;

export default defineIncidentSubcommand<{ tier?: ContactTier; reason?: string }>({
  name: 'escalate',
  usage: 'escalate [primary|secondary|business|executive] [reason]',
  summary: 'Page a tier now: the one you name, or the next after those already paged.',
  examples: ['/incident escalate secondary regional networking suspected', '/incident escalate'],
  sideEffects: true,
  access: 'commander-or-responders',
  changesIncident: true,
  parse(typed, { config }) {
    // A visible switch is never a word of the reason: escalate has none, so any is an error.
    const parsed = parseOptions(typed, {});
    if (!parsed.ok) return parsed;
    const input = parsed.options.positional;
    const first = input.word(0)?.toLowerCase();
    const tier = CONTACT_TIERS.find((t) => t === first);
    if (tier && !config.contacts.some((c) => c.tier === tier)) {
      return { ok: false, error: `No contacts are configured for the ${tier} tier.` };
    }
    const reason = input.rest(tier ? 1 : 0);
    if (reason.length > MAX_REASON)
      return { ok: false, error: `Keep the reason under ${MAX_REASON} characters; it is ${reason.length}.` };
    return { ok: true, args: { ...(tier ? { tier } : {}), ...(reason ? { reason } : {}) } };
  },
  async run({ tier, reason }, { invocation, services }, incident) {
    const paged = await services.incidents.escalate(incident, invocation.userId, invocation.id, tier, reason);
    if (!paged) return { reply: { text: 'Every configured tier has been paged already.' } };
    return { reply: { text: `:rotating_light: Paging *${paged}* now.` } };
  },
});
