import { matchEvents } from '../../../src/verify/match-events';

const expected = ['ready', 'message', 'done'];
const text = (value: string) => Buffer.from(value, 'utf8');

describe('matchEvents', () => {
  it.each<[string, string, string[]]>([
    ['a JSON message by its type', '{"type":"ready","at":1}', ['ready']],
    ['a JSON message by its event', '{"event":"message","data":{"text":"hi"}}', ['message']],
    ['a JSON message by both fields', '{"type":"ready","event":"done"}', ['ready', 'done']],
    ['a JSON message with leading whitespace', '  \n{"type":"done"}', ['done']],
    ['plain text that contains a name', 'server ready, waiting', ['ready']],
    ['plain text that contains two names', 'message done', ['message', 'done']],
    ['a Socket.IO frame', '42["message",{"text":"hi"}]', ['message']],
    ['a JSON string', '"ready"', ['ready']],
    ['a JSON list', '["done"]', ['done']],
    ['broken JSON as text', '{"type":"ready"', ['ready']],
  ])('matches %s', (_, message, names) => {
    expect(matchEvents(text(message), false, expected)).toEqual(names);
  });

  it.each<[string, string]>([
    ['a JSON object whose other fields hold a name', '{"type":"typing","text":"ready soon, done later"}'],
    ['a JSON object whose type differs only in case', '{"type":"Ready"}'],
    ['a JSON object whose type only contains a name', '{"type":"ready-ish"}'],
    ['a JSON object with no type or event', '{"kind":"ready"}'],
    ['an empty text message', ''],
    ['text with none of the names', 'pong'],
  ])('does not match %s', (_, message) => {
    expect(matchEvents(text(message), false, expected)).toEqual([]);
  });

  it('ignores binary frames, even when their bytes spell a name', () => {
    expect(matchEvents(text('{"type":"ready"}'), true, expected)).toEqual([]);
    expect(matchEvents(text('done'), true, expected)).toEqual([]);
  });

  it('reads text that arrived in fragments or as an ArrayBuffer', () => {
    expect(matchEvents([text('{"type":"re'), text('ady"}')], false, expected)).toEqual(['ready']);
    const bytes = text('all done');
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(matchEvents(arrayBuffer as ArrayBuffer, false, expected)).toEqual(['done']);
  });

  it('compares a numeric type as text', () => {
    expect(matchEvents(text('{"type":3}'), false, ['3'])).toEqual(['3']);
  });

  it('decodes text as UTF-8', () => {
    expect(matchEvents(text('{"type":"prêt"}'), false, ['prêt'])).toEqual(['prêt']);
  });
});
