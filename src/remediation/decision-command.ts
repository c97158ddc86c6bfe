import type { CommandInput } from '../router/command-input';
import type { CommandOutcome, ParseResult } from '../router/subcommand';
import { REMEDIATION_ID } from './remediation';
import type { DecisionOutcome } from './remediation-desk';

export function parseRequestId(input: CommandInput): ParseResult<{ requestId?: string }> {
  if (input.length === 0) return { ok: true, args: {} };
  const id = (input.word(0) ?? '').toLowerCase();
  if (input.length > 1)
    return {
      ok: false,
      error:
        'Give one request id, as shown on the request (e.g. r3f9a1c2b7d), or none for the one waiting here.',
    };
  if (!REMEDIATION_ID.test(id))
    return { ok: false, error: `"${id.slice(0, 20)}" is not a request id (they look like r3f9a1c2b7d).` };
  return { ok: true, args: { requestId: id } };
}

/** Words the outcome of Approve / Deny, typed or clicked, for the person who did it. */
export function decisionText(outcome: DecisionOutcome, decision: 'approve' | 'deny'): string {
  switch (outcome.kind) {
    case 'unknown':
      return 'Warroom does not know this request (requests are kept 30 days).';
    case 'none-pending':
      return 'Nothing in this channel is waiting for approval. Give the request id if it was asked elsewhere.';
    case 'several-pending':
      return `Several requests wait for approval here; say which: ${outcome.requests
        .map((r) => `\`/incident ${decision} ${r.id}\` (${r.action} of ${r.service})`)
        .join(', ')}.`;
    case 'refused':
      return `:no_entry_sign: Not ${decision === 'approve' ? 'approved' : 'denied'}: ${outcome.reason}. This is on record.`;
    case 'expired':
      return ':hourglass: This request expired before it was approved; nothing was changed. Ask again if it is still needed.';
    case 'already': {
      const r = outcome.request;
      const by = r.approvedBy ? ` by <@${r.approvedBy}>` : r.deniedBy ? ` by <@${r.deniedBy}>` : '';
      return `This request was already decided: ${r.state}${by}. Nothing more was done.`;
    }
    case 'approved':
      return `:ok_hand: Approved. The ${outcome.request.action} of ${outcome.request.service} starts now; follow its message in the channel.`;
    case 'denied':
      return `:no_entry: Denied. Nothing was changed.`;
  }
}

export const decisionReply = (outcome: DecisionOutcome, decision: 'approve' | 'deny'): CommandOutcome => ({
  reply: { text: decisionText(outcome, decision) },
});
