/**
 * manifest.yml is what a workspace admin installs; a scope missing there surfaces only in production as
 * `missing_scope`. These tests read the manifest and every Web API method the code calls, and name what is missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { SlackWorkspace } from '../support/fake-slack';

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['src', 'commands'];

/**
 * Bot scopes each Web API method needs. Where Slack accepts a public- or a private-channel scope, both are listed
 * and both required, since an incident channel may be either. `[]`: no scope (or an app-level token).
 * Scopes: https://docs.slack.dev/reference/methods/<method>
 */
const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'apps.connections.open': [], // app-level token with connections:write, not a bot scope
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.archive': ['channels:manage', 'groups:write'],
  'conversations.create': ['channels:manage', 'groups:write'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.invite': ['channels:manage', 'groups:write'],
  'conversations.join': ['channels:join'],
  'conversations.list': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'conversations.open': ['im:write'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.setTopic': ['channels:manage', 'groups:write'],
  'pins.add': ['pins:write'],
  'reactions.add': ['reactions:write'],
  'reactions.get': ['reactions:read'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'views.open': [],
  'views.publish': [],
  'views.update': [],
};

/** Bot events and the scope each needs to be delivered. */
const EVENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  reaction_added: ['reactions:read'],
  member_joined_channel: ['channels:read', 'groups:read'],
  app_home_opened: [],
};

/** Dotted names that look like Web API methods but are not calls to Slack (add false positives here). */
/** Strings that look like methods but are not calls: `team.id` names a payload field the envelope check reads. */
// files.* are Google Drive's (src/gcp, the postmortem draft): Warroom calls no Slack files method.
const NOT_API_METHODS = new Set<string>(['team.id', 'files.create', 'files.update', 'files.list']);

const API_FAMILIES =
  'admin|api|apps|assistant|auth|bookmarks|bots|calls|canvases|chat|conversations|dialog|dnd|emoji|files|' +
  'functions|oauth|openid|pins|reactions|reminders|rtm|search|stars|team|tooling|usergroups|users|views|workflows';
/** `client.chat.postMessage(`, `this.web.usergroups.users.list(` */
const MEMBER_CALL = new RegExp(`\\.((?:${API_FAMILIES})(?:\\.[A-Za-z]+)+)\\s*\\(`, 'g');
/** `apiCall('chat.update'` */
const API_CALL = /apiCall\(\s*['"`]([A-Za-z]+(?:\.[A-Za-z]+)+)['"`]/g;
/** `'chat.postMessage'` as a constant */
const STRING_CONSTANT = new RegExp(`['"\`]((?:${API_FAMILIES})(?:\\.[A-Za-z]+)+)['"\`]`, 'g');
/** Bolt's `say()` is chat.postMessage. */
const BOLT_SAY = /\bsay\s*\(/;
/** `group.users.map(`: a property named like an API family, then a JS built-in. Ignored unless a known method. */
const JS_BUILTINS = new Set([
  ...'at catch concat entries every filter finally find findIndex flat flatMap forEach get has includes'.split(
    ' ',
  ),
  ...'indexOf join keys length map pop push reduce reverse set size slice some sort splice then values'.split(
    ' ',
  ),
]);

/** Every Web API method a source text calls, in any of the recognised forms. */
function findApiMethods(source: string): string[] {
  const found = new Set<string>();
  for (const pattern of [MEMBER_CALL, API_CALL, STRING_CONSTANT]) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  if (BOLT_SAY.test(source)) found.add('chat.postMessage');
  return [...found].filter((method) => {
    if (NOT_API_METHODS.has(method)) return false;
    const last = method.slice(method.lastIndexOf('.') + 1);
    return method in METHOD_SCOPES || !JS_BUILTINS.has(last);
  });
}

/** What is wrong with granting `granted` to code calling `methods` from `file`, worded as the fix. */
function scopeProblems(file: string, methods: string[], granted: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const method of methods) {
    const needed = METHOD_SCOPES[method];
    if (!needed) {
      problems.push(
        `${file} calls ${method}, which METHOD_SCOPES does not know: add it to METHOD_SCOPES in ` +
          `test/unit/manifest.test.ts with the scopes from https://docs.slack.dev/reference/methods/${method} ` +
          '(or to NOT_API_METHODS if it is not a Slack call)',
      );
      continue;
    }
    for (const scope of needed) {
      if (!granted.has(scope)) {
        problems.push(
          `${file} calls ${method}, which needs the ${scope} scope: add it to manifest.yml oauth_config.scopes.bot`,
        );
      }
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Manifest {
  display_information: {
    name: string;
    description: string;
    background_color: string;
    long_description?: string;
  };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{
      command: string;
      description: string;
      usage_hint: string;
      should_escape: boolean;
      url?: string;
    }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;
const granted = new Set(manifest.oauth_config.scopes.bot);

describe('manifest.yml', () => {
  it('declares /incident with its usage hint, escaping user and channel mentions', () => {
    expect(manifest.features.slash_commands).toEqual([
      {
        command: '/incident',
        description: expect.any(String),
        usage_hint:
          'open <env> <title> | diag <env> | status <text> | phase <name> | escalate | ack | close | help',
        should_escape: true,
      },
    ]);
  });

  it('describes an always-online bot named warroom within Slack’s limits', () => {
    const info = manifest.display_information;
    expect(info.name).toBe('Warroom');
    expect(info.description.length).toBeLessThanOrEqual(140);
    expect(info.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    if (info.long_description !== undefined) {
      expect(info.long_description.length).toBeGreaterThanOrEqual(175);
      expect(info.long_description.length).toBeLessThanOrEqual(4000);
    }
    expect(manifest.features.bot_user).toEqual({ display_name: 'warroom', always_online: true });
  });

  it('runs in Socket Mode with interactivity, no org deploy and no token rotation', () => {
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true },
      socket_mode_enabled: true,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
    expect(manifest.settings.event_subscriptions.bot_events).toContain('reaction_added');
  });

  it('grants the scope each subscribed bot event needs', () => {
    const problems = manifest.settings.event_subscriptions.bot_events.flatMap((event) => {
      const needed = EVENT_SCOPES[event];
      if (!needed)
        return [`bot event ${event} is not in EVENT_SCOPES: add it with the scopes Slack lists for it`];
      return needed
        .filter((scope) => !granted.has(scope))
        .map((scope) => `bot event ${event} needs the ${scope} scope`);
    });
    expect(problems).toEqual([]);
  });

  it('grants a scope for every Web API method the code calls', () => {
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const problems = files.flatMap((file) =>
      scopeProblems(relative(ROOT, file), findApiMethods(readFileSync(file, 'utf8')), granted),
    );
    expect(problems).toEqual([]);
  });

  it('knows the scopes of every method the fake Slack answers', () => {
    expect(new SlackWorkspace().methods.filter((method) => !(method in METHOD_SCOPES))).toEqual([]);
  });
});

describe('the Web API method scanner', () => {
  const source = `
    await client.chat.postMessage({ channel, text });
    await this.web.usergroups.users.list({ usergroup });
    await web.apiCall('chat.update', { channel, ts, text });
    const METHOD = 'conversations.create';
    await say('hello');
    const names = group.users.map((u) => u.name);
    const note = 'see the runbook. Then page';
  `;

  it('finds calls in member, apiCall, string-constant and say() form, ignoring built-ins', () => {
    expect(findApiMethods(source).sort()).toEqual([
      'chat.postMessage',
      'chat.update',
      'conversations.create',
      'usergroups.users.list',
    ]);
  });

  it('names the method and the scope the manifest lacks', () => {
    const withoutManage = new Set([...granted].filter((scope) => scope !== 'channels:manage'));

    expect(scopeProblems('src/x.ts', findApiMethods(source), withoutManage)).toEqual([
      'src/x.ts calls conversations.create, which needs the channels:manage scope: add it to manifest.yml oauth_config.scopes.bot',
    ]);
  });

  it('fails on a method METHOD_SCOPES does not know', () => {
    expect(
      scopeProblems('src/y.ts', findApiMethods('await client.admin.users.remove({ user })'), granted),
    ).toEqual([
      expect.stringContaining(
        'src/y.ts calls admin.users.remove, which METHOD_SCOPES does not know: add it to METHOD_SCOPES',
      ),
    ]);
  });
});
