import { escapeText } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import type { Incident } from './incident';
import { type DeskDeps, entryNow } from './incident-deps';
import { incidentMessageKeys } from './incident-queue';
import type { AddedFollowUp, DoneFollowUp } from './redis-follow-ups';
import { followUpLine } from './render-follow-ups';

/** A follow-up someone asked for: typed, or a suggestion of the recap added with its button. */
export interface FollowUpRequest {
  text: string;
  owner?: string;
  /** From now; absent: no due date. */
  dueInMs?: number;
  user: string;
  /** The same key adds once: an invocation id, or the suggestion's text for its Add button. */
  idempotencyKey: string;
}

/**
 * Records a follow-up: numbered in Redis (once per idempotency key), on the timeline (once) and
 * said in the channel (once). Works on a closed incident too: follow-ups are the work after it.
 */
export async function addFollowUp(
  deps: DeskDeps,
  incident: Incident,
  request: FollowUpRequest,
): Promise<AddedFollowUp> {
  const now = deps.clock.now();
  const added = await deps.store.followUps.add(
    incident.id,
    {
      text: request.text,
      ...(request.owner ? { owner: request.owner } : {}),
      ...(request.dueInMs ? { dueAt: new Date(now.getTime() + request.dueInMs).toISOString() } : {}),
      addedBy: request.user,
      addedAt: now.toISOString(),
    },
    request.idempotencyKey,
  );
  if (added.kind !== 'added' && added.kind !== 'exists') return added;
  // A retry after a crash between the two steps finds the number and writes the entry it missed.
  const item = added.followUp;
  const eventKey = `follow-up:${item.number}`;
  await deps.store.appendOnce(
    incident.id,
    entryNow(deps, request.user, 'follow-up', `Follow-up #${item.number}: ${item.text}`, {
      number: item.number,
      text: item.text,
      ...(item.owner ? { owner: item.owner } : {}),
      ...(item.dueAt ? { dueAt: item.dueAt } : {}),
    }),
    eventKey,
  );
  await post(deps, incident, eventKey, {
    text: `Follow-up #${item.number} recorded: ${escapeText(item.text)}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:dart: Follow-up recorded by <@${item.addedBy}>: ${followUpLine(item)}`,
        },
      },
    ],
  });
  return added;
}

/** Marks follow-up `number` done, once; on the timeline and in the channel. */
export async function markFollowUpDone(
  deps: DeskDeps,
  incident: Incident,
  number: number,
  user: string,
): Promise<DoneFollowUp> {
  const done = await deps.store.followUps.done(incident.id, number, user, deps.clock.now().toISOString());
  if (done.kind === 'unknown') return done;
  const item = done.followUp;
  const eventKey = `follow-up-done:${number}`;
  await deps.store.appendOnce(
    incident.id,
    entryNow(deps, item.doneBy ?? user, 'follow-up-done', `Follow-up #${number} done: ${item.text}`, {
      number,
    }),
    eventKey,
  );
  await post(deps, incident, eventKey, {
    text: `Follow-up #${number} done: ${escapeText(item.text)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:ballot_box_with_check: ${followUpLine(item)}` } },
    ],
  });
  return done;
}

function post(deps: DeskDeps, incident: Incident, eventKey: string, message: ChatMessage) {
  return deps.outbox.put(incident.channelId, incidentMessageKeys.event(incident.id, eventKey), message);
}
