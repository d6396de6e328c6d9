/** Counts turns in progress so that shutdown can wait for them to finish. */
export class InFlightTurns {
  private count = 0;
  private waiters: Array<() => void> = [];

  async track<T>(turn: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await turn();
    } finally {
      this.count -= 1;
      if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
    }
  }

  drained(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
