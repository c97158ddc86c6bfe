/** `/incident deny [request]` — denies (or, for its requester, withdraws) a restart or rollback. */
import { defineSubcommand } from '../src/commands/subcommand';
import { decisionReply, parseRequestId } from '../src/remediation/decision-command';

export default defineSubcommand({
  name: 'deny',
  usage: 'deny [request-id]',
  summary: 'Deny a restart or rollback waiting for approval (approvers, or its requester to withdraw it).',
  examples: ['/incident deny r3f9a1c2b7d'],
  sideEffects: false,
  parse: parseRequestId,
  async run({ requestId }, { invocation, services }) {
    return decisionReply(
      await services.remediation.deny(requestId, invocation.userId, invocation.channelId),
      'deny',
    );
  },
});
