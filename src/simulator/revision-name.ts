/** The sequence number in a Cloud Run revision name (`backend-00042-kav` → 42), or undefined. */
export function revisionNumber(service: string, revision: string): number | undefined {
  if (!revision.startsWith(`${service}-`)) return undefined;
  const match = /^(\d+)-[a-z0-9]+$/.exec(revision.slice(service.length + 1));
  return match ? Number(match[1]) : undefined;
}

/**
 * The name Cloud Run gives the next revision of `service`: `<service>-<5-digit number>-<3 letters>`,
 * numbered one past the highest existing revision, e.g. `backend-00043-xqz` after `backend-00042-kav`.
 */
export function nextRevisionName(
  service: string,
  existing: readonly string[],
  random: () => number = Math.random,
): string {
  const highest = Math.max(0, ...existing.map((name) => revisionNumber(service, name) ?? 0));
  const letter = () => String.fromCharCode(97 + Math.min(25, Math.floor(random() * 26)));
  const suffix = `${letter()}${letter()}${letter()}`;
  return `${service}-${String(highest + 1).padStart(5, '0')}-${suffix}`;
}
