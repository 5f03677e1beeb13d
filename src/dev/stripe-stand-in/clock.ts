/** The stand-in's notion of now, in seconds since the epoch: real time unless a test set it. */
export class StandInClock {
  private fixed: number | null = null;

  now(): number {
    return this.fixed ?? Math.floor(Date.now() / 1000);
  }

  set(unixSeconds: number): void {
    if (!Number.isInteger(unixSeconds)) throw new Error(`setClock takes whole seconds, not ${unixSeconds}`);
    this.fixed = unixSeconds;
  }

  /** Back to real time. */
  reset(): void {
    this.fixed = null;
  }
}
