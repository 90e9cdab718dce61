/**
 * Progress of a long run on stderr: nothing for the first seconds (most runs end before), then a line every two
 * seconds with how far the run has come, so that a run over a large input never looks hung.
 */
export class Progress {
  private readonly start = Date.now();
  private last = 0;

  /**
   * @param label what is running, such as `kube-inject`
   * @param write where the lines go (the command's stderr)
   * @param after milliseconds before the first line @default 3000
   */
  constructor(
    private readonly label: string,
    private readonly write: (text: string) => void,
    private readonly after = 3000,
  ) {}

  /** `done` of `total` of the input `source` (a file), and `items` (objects) so far, where counted. */
  update(source: string, done: number, total: number, items?: number): void {
    const now = Date.now();
    if (now - this.start < this.after || now - this.last < 2000) return;
    this.last = now;
    const percent = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
    const count = items === undefined ? '' : `${items} objects, `;
    this.write(`${this.label}: ${source} ${percent}% (${count}${Math.round((now - this.start) / 1000)} s)\n`);
  }
}
