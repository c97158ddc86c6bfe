/** Why the store refused or could not complete a call; see `IncidentStoreError.code`. */
export type IncidentStoreErrorCode =
  /** No incident has that id. */
  | 'not_found'
  /** The Slack channel is already the channel of another incident (`holder`). */
  | 'channel_taken'
  /** A stored record cannot be read (edited by hand, or written by an incompatible version). */
  | 'malformed_record'
  /** The dedupe key names an incident whose record is gone. */
  | 'dedupe_orphan';

/**
 * A store call that cannot succeed as asked. Messages are for operators: they name the Redis key
 * to look at. The lifecycle code turns `code` into what the user reads.
 */
export class IncidentStoreError extends Error {
  constructor(
    readonly code: IncidentStoreErrorCode,
    message: string,
    /** For `channel_taken`: the incident that holds the channel. */
    readonly holder?: string,
  ) {
    super(message);
    this.name = 'IncidentStoreError';
  }
}

export function incidentNotFound(id: string): IncidentStoreError {
  return new IncidentStoreError('not_found', `No incident ${JSON.stringify(id)} is stored`);
}

export function channelTaken(channelId: string, holder: string): IncidentStoreError {
  return new IncidentStoreError(
    'channel_taken',
    `Channel ${channelId} already belongs to incident ${holder}`,
    holder,
  );
}
