// A live progress line for long waits: a spinner, the time waited and a message, redrawn in
// place on a terminal. Off the terminal it prints nothing, so logs and pipes stay clean.
import { humanDuration } from "../../crds/age.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The stream a progress line draws on. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/** One redrawn status line. Call stop() before printing anything else. */
export class Progress {
  private text = "";
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    /** Draws only when true; by default when the stream is a terminal. */
    readonly enabled = !!stream.isTTY,
  ) {}

  /** Sets the message and (re)starts drawing. */
  update(text: string): void {
    this.text = text;
    if (!this.enabled) return;
    this.timer ??= setInterval(() => this.draw(), 100).unref();
    this.draw();
  }

  /** Erases the line and stops drawing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled && this.text) this.stream.write("\r\x1b[2K");
    this.text = "";
  }

  /** Writes a permanent line to `out` (standard output by default), then redraws the progress line below it. */
  log(line: string, out: { write(s: string): unknown } = process.stdout): void {
    if (this.enabled && this.timer) this.stream.write("\r\x1b[2K");
    out.write(line + "\n");
    if (this.timer) this.draw();
  }

  private draw(): void {
    const spinner = FRAMES[this.frame++ % FRAMES.length];
    let line = `${spinner} ${humanDuration(Date.now() - this.started)} ${this.text}`;
    const width = this.stream.columns ?? 80;
    if (line.length > width - 1) line = line.slice(0, width - 2) + "…";
    this.stream.write(`\r\x1b[2K${line}`);
  }
}
