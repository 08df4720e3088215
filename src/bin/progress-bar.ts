// A textual progress bar for scripts (the demo). On a terminal it redraws one line; when
// the stream is a file or a pipe it prints a plain line per new phase instead, so logs
// stay readable.

/** `[#####.....]  50% label`, `width` characters between the brackets. */
export function renderBar(done: number, total: number, width = 30, label = ''): string {
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(fraction * width);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}%${label ? ` ${label}` : ''}`;
}

/** Where the bar is drawn: process.stderr, or anything with `write` (tests). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressBar {
  private done = 0;
  private label = '';
  private lastLine = '';

  constructor(
    private readonly stream: ProgressStream,
    private total: number,
  ) {}

  /** Adds `steps` to the total (work discovered on the way). */
  grow(steps: number): void {
    this.total += steps;
    this.draw();
  }

  /** Names what is being done now; off a terminal, each new phase is one line. */
  phase(label: string): void {
    if (label === this.label) return;
    this.label = label;
    if (!this.stream.isTTY) this.stream.write(`${renderBar(this.done, this.total, 20, label)}\n`);
    else this.draw();
  }

  tick(steps = 1): void {
    this.done += steps;
    if (this.stream.isTTY) this.draw();
  }

  /** Completes the bar and leaves the cursor on a fresh line. */
  finish(label = 'done'): void {
    this.done = this.total;
    this.label = label;
    if (this.stream.isTTY) {
      this.draw();
      this.stream.write('\n');
    } else {
      this.stream.write(`${renderBar(this.done, this.total, 20, label)}\n`);
    }
  }

  private draw(): void {
    if (!this.stream.isTTY) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const line = renderBar(this.done, this.total, 30, this.label).slice(0, width);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.stream.write(`\r${line.padEnd(width)}`);
  }
}
