import { escapeText } from '../chat/blocks';
import { incidentChannelName } from './channel-name';
import { tiersInOrder } from './escalation';
import { BOT_ACTOR, type Incident } from './incident';
import {
  addIncidentJob,
  addIncidentTimer,
  entryNow,
  type IncidentJobDeps,
  refreshHeader,
} from './incident-deps';
import { incidentJobIds, incidentMessageKeys, type OpenJobData } from './incident-queue';
import { pageTier } from './paging';
import { incidentTopic } from './render-header';

/** Retries of `open` with the same user and title within this window join the first incident. */
export const DUPLICATE_OPEN_WINDOW_MS = 60_000;
const MAX_NAME_ATTEMPTS = 20;
/** Run over the title for the dedupe key (test/unit/chat/linear-patterns.test.ts proves it linear). */
export const TITLE_KEY_PATTERNS = { spaces: /\s+/g } as const;

/**
 * Opens an incident: records it, creates its channel (`inc-YYYYMMDD-<slug>`, with a numeric suffix
 * when the name is taken), invites the opener and the primary contacts, sets the topic, posts the
 * header (pinned by a follow-up job once Slack has it), answers in the channel it was typed in,
 * pages the primary tier and sets the executive and phase timers. Each step checks what is already
 * done, so the job can be retried from any point.
 */
export async function openIncident(deps: IncidentJobDeps, job: OpenJobData): Promise<Incident> {
  const workspace = deps.workspace;
  if (!workspace) throw new Error('opening an incident needs the Slack workspace (a worker process)');
  const firstPhase = deps.config.phases[0]?.name ?? 'diagnostic';
  const draft: Incident = {
    id: job.incidentId,
    title: job.title,
    severity: job.severity,
    environment: job.environment,
    channelId: '',
    channelName: '',
    status: 'open',
    commander: job.openedBy,
    openedBy: job.openedBy,
    openedAt: job.openedAt,
    phase: firstPhase,
  };
  const opened = {
    ...entryNow(deps, job.openedBy, 'opened', job.title, {
      severity: job.severity,
      environment: job.environment,
    }),
    at: job.openedAt,
  };
  const dedupeKey = `${job.openedBy}:${job.title.trim().toLowerCase().replace(TITLE_KEY_PATTERNS.spaces, ' ')}`;
  const { incident: recorded, created } = await deps.store.create(draft, opened, {
    key: dedupeKey,
    windowMs: DUPLICATE_OPEN_WINDOW_MS,
  });
  // A duplicate request: the first incident's steps are (or were) done by its own job.
  if (!created && recorded.id !== job.incidentId) return recorded;

  let incident = recorded;
  if (!incident.channelId) incident = await createChannel(deps, incident);
  // The first tier with contacts is paged at once (primary, unless the config starts later).
  const firstTier = tiersInOrder(deps.config)[0];
  const primary = deps.config.contacts.filter((c) => c.tier === firstTier).flatMap((c) => c.slack);
  // A group Slack does not know is skipped here; paging records it as a failed page.
  const members = await Promise.all(
    primary.map((id) => workspace.expandUserGroup(id).catch((): string[] => [])),
  );
  const invitees = [...new Set([job.openedBy, ...members.flat()])];
  await workspace.invite(incident.channelId, invitees);
  await workspace.setTopic(incident.channelId, incidentTopic(incident));
  await refreshHeader(deps, incident);
  await addIncidentJob(
    deps,
    'pin-header',
    { incidentId: incident.id },
    { jobId: incidentJobIds.pinHeader(incident.id), attempts: 10 },
  );
  await deps.outbox.put(job.originChannel, incidentMessageKeys.opened(incident.id), {
    text: `:rotating_light: Incident opened: <#${incident.channelId}> — ${escapeText(incident.title)} (${incident.severity}, ${incident.environment}). Commander: <@${incident.commander}>.`,
  });
  if (firstTier) {
    await pageTier(deps, incident, {
      incidentId: incident.id,
      tier: firstTier,
      reason: 'open',
      pageId: 'open',
      actor: BOT_ACTOR,
    });
  }
  const openedAtMs = Date.parse(incident.openedAt);
  const nowMs = deps.clock.now().getTime();
  await addIncidentTimer(
    deps,
    'executive',
    { incidentId: incident.id },
    {
      jobId: incidentJobIds.executive(incident.id),
      delay: openedAtMs + deps.config.escalation.executiveAfterMs - nowMs,
    },
  );
  const budget = deps.config.phases[0]?.budgetMs;
  if (budget !== undefined) {
    const dueAt = openedAtMs + budget;
    await addIncidentTimer(
      deps,
      'phase-check',
      { incidentId: incident.id },
      { jobId: incidentJobIds.phaseCheck(incident.id, dueAt), delay: dueAt - nowMs },
    );
  }
  return incident;
}

/**
 * The name is recorded before each attempt: if a crash falls between Slack creating the channel
 * and our recording its id, the retry finds the name taken, sees it was its own attempt and adopts
 * the channel instead of creating a second one.
 */
async function createChannel(deps: IncidentJobDeps, incident: Incident): Promise<Incident> {
  const workspace = deps.workspace;
  if (!workspace) throw new Error('no Slack workspace');
  const openedAt = new Date(incident.openedAt);
  const interruptedAttempt = incident.channelName;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = incidentChannelName(incident.title, openedAt, attempt === 1 ? undefined : attempt);
    const triedBefore = name === interruptedAttempt;
    incident = await deps.store.update(incident.id, { channelName: name });
    const result = await workspace.createChannel(name);
    if (result.ok) return deps.store.update(incident.id, { channelId: result.id });
    if (triedBefore) {
      const existing = await workspace.findChannelByName(name);
      if (existing) return deps.store.update(incident.id, { channelId: existing });
    }
  }
  throw new Error(`No free channel name for "${incident.title}" after ${MAX_NAME_ATTEMPTS} attempts`);
}
