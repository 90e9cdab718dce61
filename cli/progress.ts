/**
 * Progress of a long run on stderr: nothing for the first seconds (most runs end before), then a line every few
 * seconds with how far the run has come, so that a run over a large input never looks hung.
 */
export class Progress {
  private readonly start = Date.now();
  private last = 0;

  /**
   * @param label what is running, such as `kube-inject`
   * @param total the size of the input, in the unit `update` reports
   * @param write where the lines go @default stderr
   * @param after milliseconds before the first line @default 3000
   */
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
    private readonly after = 3000,
  ) {}

  /** `done` of `total`, and `items` (objects) so far; prints a line at most every two seconds. */
  update(done: number, items: number): void {
    const now = Date.now();
    if (now - this.start < this.after || now - this.last < 2000) return;
    this.last = now;
    const percent = this.total > 0 ? Math.min(100, Math.floor((100 * done) / this.total)) : 0;
    this.write(`${this.label}: ${percent}% (${items} objects, ${Math.round((now - this.start) / 1000)} s)\n`);
  }
}
