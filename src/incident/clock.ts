/** Where "now" comes from: the system clock, or the shell's clock that `/clock +20m` moves on. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock running `offsetMs` ahead of the system clock; the shell advances it to show timers. */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
