import ack from '../../../commands/ack';
import { deskCall, refusalOf, runParsed } from './parse-command';

describe('/incident ack', () => {
  it.each(['ack', 'ack   '])('reads %j as an acknowledgement by whoever typed it', async (text) => {
    const ran = await runParsed(ack, text);
    expect(deskCall(ran, 'ack')).toEqual([ran.incident, 'U1']);
  });

  it.each(['ack primary', 'ack now please', 'ack ""', 'ack --tier primary', 'ack <@U0ONCALL>'])(
    'refuses %j',
    (text) => {
      expect(refusalOf(ack, text)).toBe('ack takes no arguments.');
    },
  );
});
