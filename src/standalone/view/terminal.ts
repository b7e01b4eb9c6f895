// The live view's hold on a TTY: the frame is redrawn in place, and log lines are printed
// above it (erase the frame, print, draw it again) so they never tear the table.
import type { TerminalSize } from "./live-view.ts";

export interface Writable {
  write(text: string): unknown;
}

/** Where a run writes: its view and summary, and the terminal's hold when there is one. */
export interface StandaloneIo {
  readonly out: Writable;
  /** Set on a TTY: the frame is redrawn in place; otherwise one plain line per interval. */
  readonly terminal: LiveTerminal | undefined;
  readonly size: () => TerminalSize;
}

const ESC = "\x1b[";

export class LiveTerminal {
  private frame = "";
  private drawnLines = 0;

  constructor(private readonly out: Writable) {}

  /** Replaces the frame on screen. */
  draw(frame: string): void {
    this.frame = frame;
    this.out.write(`${this.erase()}${ESC}?25l${frame}\n`);
    this.drawnLines = frame.split("\n").length;
  }

  /** Prints text (a log line) above the frame. */
  print(text: string): void {
    const line = text.endsWith("\n") ? text : `${text}\n`;
    if (this.drawnLines === 0) {
      this.out.write(line);
      return;
    }
    this.out.write(`${this.erase()}${line}${this.frame}\n`);
    this.drawnLines = this.frame.split("\n").length;
  }

  /** Takes the frame off the screen and gives the cursor back (before the summary, on exit). */
  close(): void {
    this.out.write(`${this.erase()}${ESC}?25h`);
    this.drawnLines = 0;
    this.frame = "";
  }

  private erase(): string {
    if (this.drawnLines === 0) return "";
    const lines = this.drawnLines;
    this.drawnLines = 0;
    return `${ESC}${lines}F${ESC}J`;
  }
}
