/** `/incident deny [request]` — denies a restart or rollback waiting for approval. */

import { decisionReply, parseRequestId } from '../src/remediation/decision-command';
import { defineSubcommand } from '../src/router/subcommand';

export default defineSubcommand({
  name: 'deny',
  usage: 'deny [request-id]',
  summary: 'Deny a restart or rollback waiting for approval, like the Deny button.',
  examples: ['/incident deny r3f9a1c2b7d'],
  sideEffects: false,
  access: 'approvers',
  changesIncident: true,
  incident: 'optional',
  parse: parseRequestId,
  async run({ requestId }, { invocation, services }) {
    return decisionReply(
      await services.remediation.deny(requestId, invocation.userId, invocation.channelId),
      'deny',
    );
  },
});
