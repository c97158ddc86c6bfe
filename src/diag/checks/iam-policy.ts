/**
 * Reading a project's IAM policy as Google answered it. The answer is untrusted: a binding whose
 * role is not a string or whose members are not a list is skipped, never thrown on, so one odd
 * binding cannot hide what the others say.
 */

/** One usable binding: its role, its members as written, and its condition's title when it has one. */
export interface PolicyBinding {
  role: string;
  members: string[];
  /** Present when the binding is conditional: the condition's title (or its expression). */
  condition?: string;
}

/** The bindings that could be read, and how many were skipped as malformed. */
export interface ReadPolicy {
  bindings: PolicyBinding[];
  skipped: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The policy's bindings; undefined when `bindings` is there but not a list (nothing can be
 * concluded). A policy without `bindings` grants nothing: Google omits the field when it is empty.
 */
export function readPolicy(policy: unknown): ReadPolicy | undefined {
  const raw = isRecord(policy) ? policy.bindings : undefined;
  if (raw === undefined || raw === null) return { bindings: [], skipped: 0 };
  if (!Array.isArray(raw)) return undefined;
  const bindings: PolicyBinding[] = [];
  for (const entry of raw) {
    const binding = readBinding(entry);
    if (binding) bindings.push(binding);
  }
  return { bindings, skipped: raw.length - bindings.length };
}

function readBinding(entry: unknown): PolicyBinding | undefined {
  if (!isRecord(entry) || typeof entry.role !== 'string' || !Array.isArray(entry.members)) return undefined;
  const members = entry.members.filter((m): m is string => typeof m === 'string');
  const condition = conditionTitle(entry.condition);
  return condition === undefined ? { role: entry.role, members } : { role: entry.role, members, condition };
}

/** A condition's title, else its expression; undefined when the binding has no condition. */
function conditionTitle(condition: unknown): string | undefined {
  if (condition === undefined || condition === null) return undefined;
  if (!isRecord(condition)) return 'untitled condition';
  for (const key of ['title', 'expression'] as const) {
    const value = condition[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return 'untitled condition';
}

/** How an account holds one of the roles, if it does, as far as the project's policy shows. */
export type Grant =
  | { kind: 'direct'; role: string }
  | { kind: 'conditional'; role: string; condition: string }
  | { kind: 'through-group'; role: string; member: string }
  | { kind: 'none' };

const memberOf = (member: string) => member.trim().toLowerCase();
// Groups and domains hold members the policy does not list: a grant to one may reach the account.
const GROUP_PREFIXES = ['group:', 'domain:'];

/**
 * The strongest grant of any of `roles` to `serviceAccount:<account>` (compared case-insensitively):
 * an unconditional one, else a conditional one, else one to a group or domain. Roles are tried in
 * the order given.
 */
export function grantOf(
  account: string,
  bindings: readonly PolicyBinding[],
  roles: readonly string[],
): Grant {
  const me = `serviceaccount:${account.trim().toLowerCase()}`;
  const holding = roles.flatMap((role) => bindings.filter((b) => b.role === role));
  const direct = holding.filter((b) => b.members.some((m) => memberOf(m) === me));
  const plain = direct.find((b) => b.condition === undefined);
  if (plain) return { kind: 'direct', role: plain.role };
  const conditional = direct[0];
  if (conditional?.condition !== undefined)
    return { kind: 'conditional', role: conditional.role, condition: conditional.condition };
  for (const binding of holding) {
    const member = binding.members.find((m) => GROUP_PREFIXES.some((p) => memberOf(m).startsWith(p)));
    if (member) return { kind: 'through-group', role: binding.role, member: member.trim() };
  }
  return { kind: 'none' };
}

const COMPUTE_MEMBER = /^serviceaccount:(\d+)-compute@developer\.gserviceaccount\.com$/;

/**
 * The project number a default compute account in the policy reveals, when exactly one does: a
 * project may grant roles to another project's compute account, and then no number is certain.
 */
export function projectNumberInPolicy(bindings: readonly PolicyBinding[]): string | undefined {
  const numbers = new Set(
    bindings.flatMap((b) => b.members.map((m) => COMPUTE_MEMBER.exec(memberOf(m))?.[1] ?? '')),
  );
  numbers.delete('');
  return numbers.size === 1 ? [...numbers][0] : undefined;
}

/** The number in `projects/<number>`, as `projects.get` names a project. */
export function projectNumberOf(name: unknown): string | undefined {
  return typeof name === 'string' ? /^projects\/(\d+)$/.exec(name.trim())?.[1] : undefined;
}
