import { suggest } from './suggest';
import type { Token } from './tokenize';

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * The words a subcommand was given (after its name), with the text they came from, so free text
 * (a note, a status, a reason) can be taken exactly as typed rather than re-joined from words.
 */
export class CommandInput {
  constructor(
    /** The whole text after `/incident`. */
    readonly text: string,
    /** The subcommand's words, positions into `text`. */
    readonly tokens: readonly Token[],
  ) {}

  get words(): string[] {
    return this.tokens.map((t) => t.text);
  }

  get length(): number {
    return this.tokens.length;
  }

  word(index: number): string | undefined {
    return this.tokens[index]?.text;
  }

  /** Free text from word `from` to the end, as typed (see `asTyped`). */
  rest(from = 0): string {
    return asTyped(this.text, this.tokens.slice(from));
  }

  /** The same words without the first `count`. */
  drop(count: number): CommandInput {
    return new CommandInput(this.text, this.tokens.slice(count));
  }
}

/**
 * The text `tokens` cover, as typed: spacing, apostrophes and quotes inside it kept. One quoted
 * group on its own gives what is inside the quotes (`"connector is down"` → connector is down).
 * Tokens that were not next to each other (an option came between them) are joined by a space.
 */
export function asTyped(text: string, tokens: readonly Token[]): string {
  const [first] = tokens;
  if (!first) return '';
  if (tokens.length === 1 && first.grouped && !first.text.startsWith('<')) return first.text.trim();
  let out = '';
  let runStart = first.start;
  let previous = first;
  for (const token of tokens.slice(1)) {
    const between = text.slice(previous.end, token.start);
    if (/\S/.test(between)) {
      out += `${text.slice(runStart, previous.end)} `;
      runStart = token.start;
    }
    previous = token;
  }
  return (out + text.slice(runStart, previous.end)).trim();
}

export interface OptionSpec {
  /** Options that take the words after them, up to the next option: `--reason connector recreated`. */
  valued?: readonly string[];
  /** Options that take exactly one word: `--sev P1`, `--watch 30m`. */
  single?: readonly string[];
  /** Options that take nothing: `--dry-run`. */
  switches?: readonly string[];
}

export interface Options {
  positional: CommandInput;
  /** Each valued option's text, as typed. */
  values: Record<string, string>;
  switches: Set<string>;
}

export type OptionsResult = { ok: true; options: Options } | { ok: false; error: string };

/** Dashes that a phone or a word processor makes of `--`: `—dry-run` means `--dry-run`. */
const DASHES = /^(?:--|\u2014|\u2013|\u2212\u2212)(?=[^\s-])/;

/** The option a word names (`--dry-run`, `—dry-run`, `--reason=…`), or undefined for an ordinary word. */
function optionName(token: Token): { name: string; inline?: string } | undefined {
  if (token.grouped) return undefined;
  const match = DASHES.exec(token.text);
  if (!match) return undefined;
  const body = token.text.slice(match[0].length);
  const eq = body.indexOf('=');
  return eq > 0
    ? { name: body.slice(0, eq).toLowerCase(), inline: body.slice(eq + 1) }
    : { name: body.toLowerCase() };
}

/**
 * Splits options from positional words. Every word that looks like an option must be a known one:
 * an unknown option is an error, never a word of a reason, and so is a known option hidden inside
 * quotes (`--reason "down --dry-run"`), so a switch that is visible in the text is never ignored.
 * A single-dash form of a known option (`-dry-run`) is an error too, for the same reason.
 */
export function parseOptions(input: CommandInput, spec: OptionSpec): OptionsResult {
  const valued = spec.valued ?? [];
  const single = spec.single ?? [];
  const switchNames = spec.switches ?? [];
  const known = [...valued, ...single, ...switchNames];
  const listed = known.map((f) => `--${f}`).join(', ') || 'none';
  const positional: Token[] = [];
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  const tokens = input.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const hidden = hiddenOptionError(token, known);
    if (hidden) return hidden;
    const option = optionName(token);
    if (!option) {
      const single = /^-(?!-)(\S+)$/.exec(token.grouped ? '' : token.text)?.[1]?.toLowerCase();
      if (single && known.includes(single)) {
        return { ok: false, error: `"${shown(token.text)}" has one dash; did you mean --${single}?` };
      }
      positional.push(token);
      continue;
    }
    const { name, inline } = option;
    if (switchNames.includes(name)) {
      if (inline !== undefined) return { ok: false, error: `--${name} takes no value.` };
      switches.add(name);
    } else if (valued.includes(name) || single.includes(name)) {
      const run: Token[] = [];
      const most = single.includes(name) ? (inline === undefined ? 1 : 0) : Number.POSITIVE_INFINITY;
      while (run.length < most && i + 1 < tokens.length && !optionName(tokens[i + 1] as Token)) {
        const next = tokens[i + 1] as Token;
        const hiddenInValue = hiddenOptionError(next, known);
        if (hiddenInValue) return hiddenInValue;
        if (!next.grouped && known.includes(/^-(?!-)(\S+)$/.exec(next.text)?.[1]?.toLowerCase() ?? '')) break;
        run.push(next);
        i++;
      }
      const value =
        inline !== undefined ? [inline, asTyped(input.text, run)].join(' ') : asTyped(input.text, run);
      if (!value.trim()) return { ok: false, error: `--${name} needs a value.` };
      if (values[name] !== undefined) return { ok: false, error: `--${name} is given twice; give it once.` };
      values[name] = value.trim();
    } else {
      const guess = suggest(name, known);
      return {
        ok: false,
        error: `Unknown option "${shown(token.text)}".${guess ? ` Did you mean --${guess}?` : ''} Options: ${listed}.`,
      };
    }
  }
  return {
    ok: true,
    options: { positional: new CommandInput(input.text, positional), values, switches },
  };
}

/**
 * The error for a known option written as its own word inside a quoted group or a reference: it
 * would not count there, and the person who typed it may think it did.
 */
function hiddenOptionError(token: Token, known: readonly string[]): { ok: false; error: string } | undefined {
  if (!token.grouped) return undefined;
  for (const word of token.text.split(/\s+/)) {
    const match = DASHES.exec(word);
    const name = match ? /^[\w-]+/.exec(word.slice(match[0].length))?.[0]?.toLowerCase() : undefined;
    if (name && known.includes(name)) {
      return {
        ok: false,
        error: `"--${name}" is inside quotes or a reference, where it would not count. Put it outside the quotes to use it, or leave it out.`,
      };
    }
  }
  return undefined;
}
