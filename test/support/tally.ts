/**
 * Counts the cases a reliability suite tried and the cases that held, and prints the figure the README
 * quotes (a case "holds" when every assertion in it passed).
 */
export class Tally {
  private triedCount = 0;
  private heldCount = 0;

  constructor(private readonly suite: string) {}

  tried(): void {
    this.triedCount += 1;
  }

  held(): void {
    this.heldCount += 1;
  }

  /** Runs one case: tried, and held if `body` returns without throwing. */
  async count(body: () => Promise<void>): Promise<void> {
    this.tried();
    await body();
    this.held();
  }

  report(): void {
    process.stdout.write(`\n[tally] ${this.suite}: ${this.triedCount} cases tried, ${this.heldCount} held\n`);
  }
}
