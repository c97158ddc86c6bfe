import { LOG_SEVERITY } from '../gcp/log-severity';
/**
 * The subset of the Cloud Logging / Cloud Monitoring filter language the simulator understands —
 * enough for the queries Warroom's checks send, no more:
 *
 * - comparisons `field OP value` with OP one of `=`, `!=`, `:` (case-insensitive substring; on an
 *   object, any string inside it), `>`, `>=`, `<`, `<=`, `=~`, `!~` (regular expressions);
 * - `field OP ("a" OR "b")`: any of the values;
 * - `AND` (also implied by juxtaposition), `OR`, `NOT` / leading `-`, parentheses;
 * - a bare value: case-insensitive substring anywhere in the entry (a global restriction);
 * - `severity` compares by rank (ERROR > WARNING …); `timestamp` and `receiveTimestamp` as instants.
 *
 * Not supported: functions (`starts_with`, `sample`, `log_id`), `:*` presence tests, quoted path
 * segments. `OR` binds tighter than `AND`, as in Cloud Logging.
 */
export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'cmp'; field: string; op: Op; values: string[] }
  | { kind: 'text'; value: string };

type Op = '=' | '!=' | ':' | '>' | '>=' | '<' | '<=' | '=~' | '!~';
const OPS: readonly Op[] = ['>=', '<=', '!=', '=~', '!~', '=', ':', '>', '<'];
type Token = { type: 'str' | 'word' | 'op' | 'lp' | 'rp' | 'neg'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'lp' : 'rp', text: c });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < filter.length && filter[i] !== '"') {
        if (filter[i] === '\\' && i + 1 < filter.length) i++;
        value += filter[i];
        i++;
      }
      if (i >= filter.length) throw new Error(`Unterminated string in filter: ${filter}`);
      i++;
      tokens.push({ type: 'str', text: value });
    } else if (c === '-' && tokens.at(-1)?.type !== 'op') {
      // A leading minus negates the next term; inside a value (2024-01-01) it is part of a word.
      tokens.push({ type: 'neg', text: '-' });
      i++;
    } else {
      const op = OPS.find((candidate) => filter.startsWith(candidate, i));
      if (op) {
        tokens.push({ type: 'op', text: op });
        i += op.length;
        continue;
      }
      const word = /^[^\s()"=:<>!~]+/.exec(filter.slice(i))?.[0];
      if (!word) throw new Error(`Unexpected "${c}" at ${i} in filter: ${filter}`);
      tokens.push({ type: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Parses a filter; an empty filter matches everything. Throws on syntax it does not support. */
export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (text: string): boolean => peek()?.type === 'word' && peek()?.text === text;

  const value = (): string => {
    const token = tokens[pos++];
    if (!token || (token.type !== 'str' && token.type !== 'word'))
      throw new Error(`Expected a value in: ${filter}`);
    return token.text;
  };
  const values = (): string[] => {
    if (peek()?.type !== 'lp') return [value()];
    pos++;
    const list = [value()];
    while (isWord('OR')) {
      pos++;
      list.push(value());
    }
    if (tokens[pos++]?.type !== 'rp') throw new Error(`Expected ")" in: ${filter}`);
    return list;
  };
  const unary = (): FilterNode => {
    const token = peek();
    if (!token) throw new Error(`Filter ends too early: ${filter}`);
    if (token.type === 'neg' || isWord('NOT')) {
      pos++;
      return { kind: 'not', item: unary() };
    }
    if (token.type === 'lp') {
      pos++;
      const inner = or();
      if (tokens[pos++]?.type !== 'rp') throw new Error(`Expected ")" in: ${filter}`);
      return inner;
    }
    pos++;
    if (token.type === 'word' && peek()?.type === 'op') {
      const op = tokens[pos++]?.text as Op;
      return { kind: 'cmp', field: token.text, op, values: values() };
    }
    if (token.type !== 'word' && token.type !== 'str')
      throw new Error(`Unexpected "${token.text}" in: ${filter}`);
    return { kind: 'text', value: token.text };
  };
  const orTerm = (): FilterNode => {
    const items = [unary()];
    while (isWord('OR')) {
      pos++;
      items.push(unary());
    }
    return items.length === 1 ? (items[0] as FilterNode) : { kind: 'or', items };
  };
  function or(): FilterNode {
    const items: FilterNode[] = [];
    while (peek() && peek()?.type !== 'rp') {
      if (isWord('AND')) pos++;
      items.push(orTerm());
    }
    return items.length === 1 ? (items[0] as FilterNode) : { kind: 'and', items };
  }
  const tree = or();
  if (pos < tokens.length) throw new Error(`Unexpected ")" in: ${filter}`);
  return tree;
}

const SEVERITY_RANK = LOG_SEVERITY;

function lookup(record: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((node, key) => {
    return node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }, record);
}

function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (typeof node === 'number' || typeof node === 'boolean') return [String(node)];
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

/** Orders two values the way the field is ordered in Google's filter language. */
function compare(field: string, actual: string, expected: string): number {
  const leaf = field.split('.').at(-1);
  if (leaf === 'severity') {
    return (
      (SEVERITY_RANK[actual.toUpperCase()] ?? 0) - (SEVERITY_RANK[expected.toUpperCase()] ?? Number(expected))
    );
  }
  if (leaf === 'timestamp' || leaf === 'receiveTimestamp' || leaf?.endsWith('Time')) {
    return Date.parse(actual) - Date.parse(expected);
  }
  const [a, b] = [Number(actual), Number(expected)];
  if (actual !== '' && expected !== '' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

function test(op: Op, field: string, actual: unknown, expected: string): boolean {
  if (actual === undefined || actual === null) return op === '!=' || op === '!~';
  if (op === ':') return strings(actual).some((s) => s.toLowerCase().includes(expected.toLowerCase()));
  const text = strings(actual).join(' ');
  switch (op) {
    case '=~':
      return new RegExp(expected).test(text);
    case '!~':
      return !new RegExp(expected).test(text);
    case '=':
      return compare(field, text, expected) === 0;
    case '!=':
      return compare(field, text, expected) !== 0;
    case '>':
      return compare(field, text, expected) > 0;
    case '>=':
      return compare(field, text, expected) >= 0;
    case '<':
      return compare(field, text, expected) < 0;
    case '<=':
      return compare(field, text, expected) <= 0;
  }
}

/** Whether `record` (a LogEntry or a time series' metric/resource) satisfies the parsed filter. */
export function matchesFilter(node: FilterNode, record: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((item) => matchesFilter(item, record));
    case 'or':
      return node.items.some((item) => matchesFilter(item, record));
    case 'not':
      return !matchesFilter(node.item, record);
    case 'text':
      return strings(record).some((s) => s.toLowerCase().includes(node.value.toLowerCase()));
    case 'cmp': {
      const actual = lookup(record, node.field);
      return node.values.some((expected) => test(node.op, node.field, actual, expected));
    }
  }
}
