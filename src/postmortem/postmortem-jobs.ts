import type { ChatMessage } from '../chat/message';
import { type DriveDocuments, GcpError } from '../gcp/cloud-gateway';
import type { Incident } from '../incident/incident';
import { addIncidentJob, type IncidentJobDeps } from '../incident/incident-deps';
import { incidentJobIds, incidentMessageKeys } from '../incident/incident-queue';
import { postRecap } from '../incident/post-recap';
import { renderPostmortemFailure } from './postmortem-failure';
import type { NameOf } from './render-postmortem';
import { type PostmortemOutcome, writePostmortem } from './write-postmortem';

/** The incident jobs' dependencies with Drive, for the postmortem draft. */
export type PostmortemJobDeps = IncidentJobDeps & {
  documents?: DriveDocuments;
  /** Display names for the document (Slack ids → names, cached); absent: ids. */
  names?: (ids: readonly string[]) => Promise<NameOf>;
};

/** How long after a close whose draft Drive did not take (busy, no answer) Warroom tries once more. */
export const RETRY_AFTER_CLOSE_MS = 60_000;

/** A failure that needs no one to fix anything: Drive busy, rate-limited or silent. */
function mayPassOnItsOwn(error: unknown): boolean {
  return (
    !(error instanceof GcpError) || ['unavailable', 'timeout', 'rate-limited', 'other'].includes(error.kind)
  );
}

/** Thrown to have BullMQ try again later: another attempt is writing the document right now. */
export class PostmortemBusy extends Error {}

/**
 * The close job's part: the draft written once (a retried close finds it recorded), its link for
 * the recap, and a failure said in the channel with its fix. Never throws for Drive's sake.
 */
export async function postmortemAtClose(
  deps: PostmortemJobDeps,
  incident: Incident,
): Promise<string | undefined> {
  if (!deps.documents || !deps.config.postmortem) return undefined;
  const outcome = await writePostmortem({ ...deps, documents: deps.documents }, incident, 'ensure');
  await sayFailure(deps, incident, outcome, 'close');
  if (outcome.kind === 'failed' && mayPassOnItsOwn(outcome.error)) {
    // Drive was busy or did not answer: one more try a minute later, as `/incident postmortem` would.
    const requestKey = 'after-close';
    await addIncidentJob(
      deps,
      'postmortem',
      { incidentId: incident.id, requestKey },
      { jobId: incidentJobIds.postmortem(incident.id, requestKey), delay: RETRY_AFTER_CLOSE_MS },
    );
  }
  return 'document' in outcome ? outcome.document.webViewLink : undefined;
}

/** `/incident postmortem`: regenerates the draft in place (or creates it), answers in the channel, relinks the recap. */
export async function regeneratePostmortem(
  deps: PostmortemJobDeps,
  data: { incidentId: string; requestKey: string },
): Promise<string> {
  const incident = await deps.store.get(data.incidentId);
  if (!incident || !deps.documents || !deps.config.postmortem) return 'off';
  const outcome = await writePostmortem({ ...deps, documents: deps.documents }, incident, 'regenerate');
  if (outcome.kind === 'busy') throw new PostmortemBusy('the postmortem draft is being written');
  if (!(await sayFailure(deps, incident, outcome, data.requestKey)) && 'document' in outcome) {
    const link = outcome.document.webViewLink;
    await post(deps, incident, `postmortem:${data.requestKey}`, {
      text: `Postmortem draft ${outcome.kind === 'updated' ? 'regenerated' : 'created'}: ${link}`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `:page_facing_up: <${link}|Postmortem draft> ${outcome.kind === 'updated' ? 'regenerated in place from the record' : 'created'}.`,
          },
        },
      ],
    });
    if (incident.status === 'closed') {
      // The recap links to the document from now on (an edit of the same message).
      await postRecap(deps, incident, link);
    }
  }
  return outcome.kind;
}

async function sayFailure(
  deps: PostmortemJobDeps,
  incident: Incident,
  outcome: PostmortemOutcome,
  key: string,
): Promise<boolean> {
  if (outcome.kind !== 'failed' || !deps.config.postmortem) return false;
  await post(
    deps,
    incident,
    `postmortem-failed:${key}`,
    renderPostmortemFailure(outcome.error, deps.config.postmortem.driveFolderId),
  );
  return true;
}

function post(deps: PostmortemJobDeps, incident: Incident, eventKey: string, message: ChatMessage) {
  return deps.outbox.put(incident.channelId, incidentMessageKeys.event(incident.id, eventKey), message);
}
