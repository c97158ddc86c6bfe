/** `/incident approve [request]` — approves a restart or rollback, like its Approve button. */

import { decisionReply, parseRequestId } from '../src/remediation/decision-command';
import { defineSubcommand } from '../src/router/subcommand';

export default defineSubcommand({
  name: 'approve',
  usage: 'approve [request-id]',
  summary: "Approve someone else's restart or rollback (approvers only), like the Approve button.",
  examples: ['/incident approve', '/incident approve r3f9a1c2b7d'],
  sideEffects: true,
  access: 'approvers',
  changesIncident: true,
  incident: 'optional',
  parse: parseRequestId,
  async run({ requestId }, { invocation, services }) {
    return decisionReply(
      await services.remediation.approve(requestId, invocation.userId, invocation.channelId),
      'approve',
    );
  },
});
