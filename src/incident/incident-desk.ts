import type { ContactTier } from '../config/schema';
import type { Invocation } from '../invocation';
import { whileQueueAvailable } from '../queue/queue-unavailable';
import { shortDigest } from '../short-digest';
import type { ContactsView, PagerDutyLinkState } from './contacts-view';
import { nextTier, tiersInOrder } from './escalation';
import type { FollowUp } from './follow-up';
import { addFollowUp, type FollowUpRequest, markFollowUpDone } from './follow-up-desk';
import type { Incident, Severity } from './incident';
import { addIncidentJob, addIncidentTimer, type DeskDeps, entryNow, refreshHeader } from './incident-deps';
import { newIncidentId } from './incident-id';
import { incidentJobIds, incidentMessageKeys } from './incident-queue';
import { phaseSpentMs, tiersPagingUser } from './incident-state';
import { recordAck } from './record-ack';
import type { AddedFollowUp, DoneFollowUp } from './redis-follow-ups';
import { renderCommanderChange, renderPhaseChange, renderStatusUpdate } from './render-status';
import type { TimelineSlice } from './timeline-slice';

/** The desk's calls that the router, the subcommands and the Slack listeners make. */
export type IncidentCommands = Pick<
  IncidentDesk,
  | 'forChannel'
  | 'get'
  | 'pinMessage'
  | 'timelineSlice'
  | 'contacts'
  | 'now'
  | 'open'
  | 'recordCommand'
  | 'repostHeader'
  | 'note'
  | 'status'
  | 'phase'
  | 'commander'
  | 'pagedTiers'
  | 'ack'
  | 'escalate'
  | 'close'
  | 'addFollowUp'
  | 'followUps'
  | 'followUpDone'
  | 'followUpOwner'
  | 'postmortem'
>;

/**
 * What incident commands do on Slack's ack path: Redis only — the record, the timeline, the outbox
 * and the queue. Anything that needs Slack's API beyond posting (channels, invites, DMs) or time
 * (timers) is a job. Commands read the incident's state (store.state, store.contacts) or a page of
 * its timeline (store.timelineSlice), never the whole timeline, so each makes the same few bounded
 * Redis calls however long the incident has run.
 */
export class IncidentDesk {
  constructor(private readonly deps: DeskDeps) {}

  /** The first call of every incident command: it fails as QueueUnavailableError while Redis is away. */
  forChannel(channelId: string): Promise<Incident | undefined> {
    return whileQueueAvailable(this.deps.redis, () => this.deps.store.getByChannel(channelId));
  }

  get(id: string): Promise<Incident | undefined> {
    return whileQueueAvailable(this.deps.redis, () => this.deps.store.get(id));
  }

  /** A message that got a 📌 in an incident channel: a job reads it and adds it at its post time. */
  async pinMessage(incident: Incident, channel: string, ts: string, user: string): Promise<void> {
    await addIncidentJob(
      this.deps,
      'pin-message',
      { incidentId: incident.id, channel, ts, user },
      { jobId: incidentJobIds.pinMessage(incident.id, ts), attempts: 5 },
    );
  }

  /**
   * `range.count` entries (at most 100) of the timeline ordered by time, from the `range.first`
   * (0-based), and how many it has: a page of `/incident timeline`, one bounded read.
   */
  timelineSlice(incident: Incident, range: { first: number; count: number }): Promise<TimelineSlice> {
    return this.deps.store.timelineSlice(incident.id, range);
  }

  /**
   * Who was paged at each tier, who acknowledged, failed pages and escalations: one bounded read;
   * and, for contacts linked to PagerDuty, where their PagerDuty incident stands.
   */
  async contacts(incident: Incident): Promise<ContactsView> {
    const view = await this.deps.store.contacts(incident.id);
    const { pagerDuty, config } = this.deps;
    const linked = config.contacts.filter((c) => c.pagerduty);
    if (!pagerDuty || linked.length === 0) return view;
    const targets = await pagerDuty.store.targets(incident.id);
    const links = linked.map((c): [string, PagerDutyLinkState] => {
      const target = targets.find((t) => t.contact === c.name);
      const keySet = Boolean(pagerDuty.variables[c.pagerduty?.routingKeyEnv ?? '']?.trim());
      return [c.name, target ? { keySet, state: target.state ?? 'sending' } : { keySet }];
    });
    return { ...view, pagerDuty: Object.fromEntries(links) };
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** Queues the opening; the job records the incident, so a failed enqueue leaves nothing behind. */
  async open(request: {
    environment: string;
    title: string;
    severity: Severity;
    invocation: Invocation;
  }): Promise<string> {
    const incidentId = newIncidentId(this.deps.clock.now());
    await addIncidentJob(
      this.deps,
      'open',
      {
        incidentId,
        title: request.title,
        severity: request.severity,
        environment: request.environment,
        openedBy: request.invocation.userId,
        originChannel: request.invocation.channelId,
        openedAt: this.deps.clock.now().toISOString(),
      },
      { jobId: incidentJobIds.open(shortDigest(request.invocation.id, 16)), attempts: 5 },
    );
    return incidentId;
  }

  /**
   * Every command typed in an incident channel goes on its timeline, once; `refused` says why one
   * was not run.
   */
  async recordCommand(incident: Incident, invocation: Invocation, refused?: string): Promise<void> {
    const typed = `/incident ${invocation.text}`.trim();
    await this.deps.store.appendOnce(
      incident.id,
      entryNow(this.deps, invocation.userId, 'command', refused ? `${typed} — ${refused}` : typed, {
        text: invocation.text,
        ...(refused ? { refused } : {}),
      }),
      `command:${invocation.id}`,
    );
  }

  /** Re-posts the pinned header as it stands (after the page links were revoked, with the new one). */
  repostHeader(incident: Incident): Promise<void> {
    return refreshHeader(this.deps, incident);
  }

  async note(incident: Incident, user: string, text: string, invocationId: string): Promise<void> {
    await this.deps.store.appendOnce(
      incident.id,
      entryNow(this.deps, user, 'note', text),
      `note:${invocationId}`,
    );
  }

  async status(incident: Incident, user: string, text: string, invocationId: string): Promise<void> {
    const entry = entryNow(this.deps, user, 'status', text);
    await this.deps.store.appendOnce(incident.id, entry, `status:${invocationId}`);
    await this.post(incident, `status:${invocationId}`, renderStatusUpdate(incident, text, user, entry.at));
    await refreshHeader(this.deps, incident);
  }

  /** Moves to `to`; false when the incident is already in that phase. */
  async phase(incident: Incident, user: string, to: string, invocationId: string): Promise<boolean> {
    if (incident.phase === to) return false;
    await this.deps.store.appendOnce(
      incident.id,
      entryNow(this.deps, user, 'phase', `Phase: ${incident.phase} → ${to}`, { from: incident.phase, to }),
      `phase:${invocationId}`,
    );
    const updated = await this.deps.store.update(incident.id, { phase: to });
    const budgetMs = this.deps.config.phases.find((p) => p.name === to)?.budgetMs;
    await this.post(incident, `phase:${invocationId}`, renderPhaseChange(incident.phase, to, budgetMs));
    const state = await this.deps.store.state(incident.id);
    await refreshHeader(this.deps, updated, state);
    // The phase-check timer re-reads the timeline when it fires; this only says when.
    const now = this.deps.clock.now();
    const spentMs = phaseSpentMs(state, to, now);
    if (budgetMs !== undefined && spentMs !== undefined) {
      const dueAt = now.getTime() + Math.max(0, budgetMs - spentMs);
      await addIncidentTimer(
        this.deps,
        'phase-check',
        { incidentId: incident.id },
        { jobId: incidentJobIds.phaseCheck(incident.id, dueAt), delay: dueAt - now.getTime() },
      );
    }
    return true;
  }

  async commander(incident: Incident, user: string, commander: string, invocationId: string): Promise<void> {
    const updated = await this.deps.store.update(incident.id, { commander });
    await this.deps.store.appendOnce(
      incident.id,
      entryNow(this.deps, user, 'commander', `Commander: <@${commander}>`, { commander }),
      `commander:${invocationId}`,
    );
    await this.post(incident, `commander:${invocationId}`, renderCommanderChange(commander));
    await refreshHeader(this.deps, updated);
  }

  /** The tiers at which `user` was paged in this incident, in escalation order. */
  async pagedTiers(incident: Incident, user: string): Promise<ContactTier[]> {
    return tiersPagingUser(await this.deps.store.state(incident.id, user));
  }

  /**
   * Records `user`'s acknowledgement (once per user and tier). Someone who was not paged can ack:
   * it is recorded as theirs but does not stop escalation.
   */
  ack(incident: Incident, user: string, tier?: ContactTier): Promise<{ recorded: boolean; paged: boolean }> {
    return recordAck(this.deps, incident, user, tier);
  }

  /** Pages `tier` (default: the one after the highest tier paged so far) now. */
  async escalate(
    incident: Incident,
    user: string,
    invocationId: string,
    tier?: ContactTier,
    reason?: string,
  ): Promise<ContactTier | undefined> {
    const state = await this.deps.store.state(incident.id);
    const order = tiersInOrder(this.deps.config);
    const highest = [...order].reverse().find((t) => state.tiers[t] !== undefined);
    const target = tier ?? (highest ? nextTier(highest, order) : order[0]);
    if (!target) return undefined;
    const pageKey = shortDigest(invocationId, 16);
    await this.deps.store.appendOnce(
      incident.id,
      entryNow(this.deps, user, 'escalation', `Escalated to ${target}${reason ? `: ${reason}` : ''}`, {
        ...(highest ? { from: highest } : {}),
        to: target,
        reason: 'manual',
      }),
      `escalation:manual.${invocationId}`,
    );
    await addIncidentJob(
      this.deps,
      'page',
      {
        incidentId: incident.id,
        tier: target,
        reason: 'manual',
        pageId: `manual.${pageKey}`,
        actor: user,
        ...(reason ? { note: reason } : {}),
      },
      { jobId: incidentJobIds.page(incident.id, pageKey), attempts: 5 },
    );
    return target;
  }

  /** Closes the incident; the recap is posted by a job. */
  async close(incident: Incident, user: string, resolution: string): Promise<{ alreadyClosed: boolean }> {
    const closedAt = this.deps.clock.now().toISOString();
    const entry = {
      ...entryNow(this.deps, user, 'closed', resolution || 'Closed', { resolution }),
      at: closedAt,
    };
    const { alreadyClosed } = await this.deps.store.close(incident.id, closedAt, resolution, entry);
    if (!alreadyClosed) {
      await this.cancelTimers(incident);
      await this.deps.onClose?.(incident.id);
      await addIncidentJob(
        this.deps,
        'close',
        { incidentId: incident.id },
        { jobId: incidentJobIds.close(incident.id), attempts: 5 },
      );
    }
    return { alreadyClosed };
  }

  /** Records a follow-up (once per `request.idempotencyKey`); closed incidents take them too. */
  addFollowUp(incident: Incident, request: FollowUpRequest): Promise<AddedFollowUp> {
    return addFollowUp(this.deps, incident, request);
  }

  /** The incident's follow-ups by number: one bounded read. */
  followUps(incident: Incident): Promise<FollowUp[]> {
    return this.deps.store.followUps.list(incident.id);
  }

  followUpDone(incident: Incident, number: number, user: string): Promise<DoneFollowUp> {
    return markFollowUpDone(this.deps, incident, number, user);
  }

  /**
   * Queues the regeneration of the postmortem draft (a job: Drive is slow) and returns the link of
   * the document already recorded, if any.
   */
  async postmortem(incident: Incident, invocationId: string): Promise<string | undefined> {
    const requestKey = shortDigest(invocationId, 16);
    await addIncidentJob(
      this.deps,
      'postmortem',
      { incidentId: incident.id, requestKey },
      { jobId: incidentJobIds.postmortem(incident.id, requestKey), attempts: 5 },
    );
    return (await this.deps.store.postmortems.get(incident.id)).document?.webViewLink;
  }

  /** Who owns follow-up `number`, for the router's access check. */
  async followUpOwner(incident: Incident, number: number): Promise<string | undefined> {
    return (await this.deps.store.followUps.get(incident.id, number))?.owner;
  }

  /**
   * Removes the incident's pending timers by their job ids, recorded as they were set: no other
   * incident's jobs are looked at. Best effort: a timer that fires anyway (it was running) re-reads
   * the timeline and finds the close, so it does nothing.
   */
  private async cancelTimers(incident: Incident): Promise<void> {
    const jobIds = await this.deps.store.takeTimers(incident.id);
    await Promise.all(jobIds.map((jobId) => this.deps.queue.remove(jobId).catch(() => 0)));
  }

  private post(incident: Incident, eventKey: string, message: Parameters<DeskDeps['outbox']['put']>[2]) {
    return this.deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.event(incident.id, eventKey),
      message,
    );
  }
}
