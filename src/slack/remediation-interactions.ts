import type { App } from '@slack/bolt';
import { readButtonClick } from '../http/slack-payloads';
import type { Logger } from '../log/logger';
import { QueueUnavailableError } from '../queue/queue-unavailable';
import { decisionText } from '../remediation/decision-command';
import { REMEDIATION_ID } from '../remediation/remediation';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../remediation/render-remediation';
import type { CommandBase } from '../router/subcommand';
import { refuseClick } from './click-context';

/**
 * The Approve and Deny buttons of a remediation request. Acknowledged to Slack first; the decision
 * is one atomic step in Redis, so a double click or two approvers clicking at once decide once.
 * The clicker gets an ephemeral answer; the request's message is updated by the outbox.
 */
export function registerRemediationInteractions(app: App, base: CommandBase, log: Logger): void {
  const { remediation: desk, incidents } = base.services;
  for (const [actionId, decision] of [
    [APPROVE_ACTION_ID, 'approve'],
    [DENY_ACTION_ID, 'deny'],
  ] as const) {
    app.action(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const click = readButtonClick(body, action);
      if (!click.ok) {
        log.warn({ action: actionId, problem: click.problem }, 'ignored a click of the wrong shape');
        return;
      }
      const { userId, value: requestId } = click.value;
      let text: string;
      if (!REMEDIATION_ID.test(requestId)) {
        text = 'This button is not one Warroom knows.';
      } else {
        try {
          // The button is `/incident approve|deny <id>`: the same declared access, and nothing
          // changes once the request's incident is closed.
          const request = await desk.get(requestId);
          const incident = request?.incidentId ? await incidents.get(request.incidentId) : undefined;
          const refusal = await refuseClick(base, click.value, `${decision} ${requestId}`, incident);
          if (refusal) {
            text = refusal;
          } else {
            const outcome =
              decision === 'approve'
                ? await desk.approve(requestId, userId)
                : await desk.deny(requestId, userId);
            text = decisionText(outcome, decision);
          }
        } catch (error) {
          const unavailable = error instanceof QueueUnavailableError;
          log.error({ requestId, decision, reason: (error as Error).message }, 'remediation decision failed');
          text = unavailable
            ? ':x: Warroom cannot reach its job queue right now, so nothing was decided. Try again in a minute.'
            : ':x: The decision could not be recorded; nothing was started. Try again, or type the command.';
        }
      }
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  }
}
