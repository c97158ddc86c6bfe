import type { Config } from '../config/schema';
import type { DriveDocument, DriveDocuments } from '../gcp/cloud-gateway';
import { BOT_ACTOR, type Incident } from '../incident/incident';
import { peopleNamed } from '../incident/people-named';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { createdNothing } from './postmortem-failure';
import { type NameOf, postmortemName, renderPostmortem } from './render-postmortem';

export interface PostmortemDeps {
  config: Config;
  store: RedisIncidentStore;
  documents: DriveDocuments;
  clock: { now(): Date };
  log: Logger;
  links?: { incident(incidentId: string): Promise<string> };
  /** Display names of the people the record names (Slack ids → names, cached). */
  names?: (ids: readonly string[]) => Promise<NameOf>;
}

export type PostmortemOutcome =
  | { kind: 'created' | 'updated' | 'recorded' | 'adopted'; document: DriveDocument }
  /** Another attempt holds the claim right now. */
  | { kind: 'busy' }
  | { kind: 'off' }
  | { kind: 'failed'; error: unknown };

/**
 * Writes the incident's postmortem draft. `ensure` (the close job) creates it once: a document
 * already recorded is kept as it is, so a retried close creates no second one; a create that was
 * in flight when a process died is looked for in the folder before creating again. `regenerate`
 * (`/incident postmortem`) replaces the recorded document's contents in place. Never throws: a
 * failure is an outcome, so the close goes on.
 */
export async function writePostmortem(
  deps: PostmortemDeps,
  incident: Incident,
  mode: 'ensure' | 'regenerate',
): Promise<PostmortemOutcome> {
  const folderId = deps.config.postmortem?.driveFolderId;
  if (!folderId) return { kind: 'off' };
  const record = deps.store.postmortems;
  const token = await record.claim(incident.id);
  if (!token) return { kind: 'busy' };
  try {
    const known = await record.get(incident.id);
    if (known.document && mode === 'ensure') return { kind: 'recorded', document: known.document };
    const name = postmortemName(incident);
    if (!known.document && known.pending) {
      const found = await deps.documents.findDocument(folderId, name).catch(() => undefined);
      if (found) {
        await record.record(incident.id, found);
        await note(deps, incident, found, 'created');
        if (mode === 'ensure') return { kind: 'adopted', document: found };
        known.document = found;
      }
    }
    const html = await render(deps, incident);
    if (known.document) {
      const document = await deps.documents.updateDocument(known.document.id, html);
      await record.record(incident.id, document);
      await note(deps, incident, document, `regenerated:${deps.clock.now().toISOString()}`);
      return { kind: 'updated', document };
    }
    // Marked before the create: a crash before the answer is recorded leaves the mark for the next attempt.
    await record.markPending(incident.id);
    let document: DriveDocument;
    try {
      document = await deps.documents.createDocument({ name, folderId, html });
    } catch (error) {
      if (createdNothing(error)) await record.clearPending(incident.id);
      throw error;
    }
    await record.record(incident.id, document);
    await note(deps, incident, document, 'created');
    return { kind: 'created', document };
  } catch (error) {
    deps.log.warn({ incident: incident.id, err: error }, 'postmortem draft not written');
    return { kind: 'failed', error };
  } finally {
    await record.release(incident.id, token).catch(() => undefined);
  }
}

async function render(deps: PostmortemDeps, incident: Incident): Promise<string> {
  const timeline = await deps.store.timelineByTime(incident.id);
  const ids = peopleNamed(incident, timeline);
  const nameOf = deps.names ? await deps.names(ids) : undefined;
  const pageUrl = await deps.links?.incident(incident.id);
  return renderPostmortem(incident, timeline, deps.config, {
    ...(nameOf ? { nameOf } : {}),
    ...(pageUrl ? { pageUrl } : {}),
    now: deps.clock.now(),
  });
}

async function note(deps: PostmortemDeps, incident: Incident, document: DriveDocument, key: string) {
  const regenerated = key !== 'created';
  await deps.store.appendOnce(
    incident.id,
    {
      at: deps.clock.now().toISOString(),
      actor: BOT_ACTOR,
      kind: 'postmortem',
      text: `Postmortem draft ${regenerated ? 'regenerated' : 'created'}: <${document.webViewLink}|Google Doc>`,
      data: { fileId: document.id, link: document.webViewLink, regenerated },
    },
    `postmortem:${key}`,
  );
}
