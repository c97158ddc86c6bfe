/**
 * Default `max_connections` of Cloud SQL for PostgreSQL by instance memory, from Google's
 * "Quotas and limits" page (https://cloud.google.com/sql/docs/postgres/quotas, section
 * "Cloud SQL for PostgreSQL connection limits"). Each row: memory from this many GiB → default.
 * The `max_connections` database flag, when set, overrides these.
 */
const DEFAULT_MAX_CONNECTIONS_BY_MEMORY: readonly (readonly [gib: number, connections: number])[] = [
  [0, 25], // 0.6 GiB, db-f1-micro
  [1.7, 50], // db-g1-small
  [3.75, 100],
  [6, 200],
  [7.5, 400],
  [15, 500],
  [30, 600],
  [60, 800],
  [120, 1000],
];

/** Memory in GiB of a Cloud SQL tier name, when the name determines it. */
export function tierMemoryGib(tier: string | null | undefined): number | undefined {
  if (!tier) return undefined;
  if (tier === 'db-f1-micro') return 0.6;
  if (tier === 'db-g1-small') return 1.7;
  // db-custom-<vCPUs>-<memory in MiB>, e.g. db-custom-2-7680 (Enterprise edition custom machines).
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (custom) return Number(custom[2]) / 1024;
  // Legacy predefined tiers: 3.75 GiB (standard) or 6.5 GiB (highmem) per vCPU.
  const legacy = /^db-n1-(standard|highmem)-(\d+)$/.exec(tier);
  if (legacy) return Number(legacy[2]) * (legacy[1] === 'standard' ? 3.75 : 6.5);
  return undefined;
}

/** The default max_connections for a tier, or undefined for tiers we cannot size. */
export function defaultMaxConnections(tier: string | null | undefined): number | undefined {
  const gib = tierMemoryGib(tier);
  if (gib === undefined) return undefined;
  let connections: number | undefined;
  for (const [from, value] of DEFAULT_MAX_CONNECTIONS_BY_MEMORY) if (gib >= from) connections = value;
  return connections;
}
