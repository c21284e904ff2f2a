// Progress of long work, for people at a terminal only: one line on stderr, rewritten in place
// (`\r` + erase to end of line) with what is happening and how long it has taken. On a pipe or a
// file (CI logs, `2> err.txt`, the specs' child processes) nothing at all is written, so output
// that is parsed or diffed never changes.

/** The part of a stream progress needs; `process.stderr` is one. */
export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

export interface ProgressOptions {
    /** @default process.stderr */
    stream?: ProgressStream;
    /** Clock in ms. @default Date.now */
    now?: () => number;
    /** Shortest time between two rewrites of the line, ms. @default 250 */
    throttleMs?: number;
    /** Rewrite the line this often even without news, so the elapsed time keeps moving; 0: never. @default 1000 */
    tickMs?: number;
}

const ERASE_LINE = "\x1b[K";

export class Progress {
    readonly enabled: boolean;
    private readonly stream: ProgressStream;
    private readonly now: () => number;
    private readonly throttleMs: number;
    private readonly started: number;
    private detail = "";
    private lastWrite = Number.NEGATIVE_INFINITY;
    private shown = false;
    private timer?: NodeJS.Timeout;

    constructor(private readonly label: string, options: ProgressOptions = {}) {
        this.stream = options.stream ?? process.stderr;
        this.enabled = this.stream.isTTY === true;
        this.now = options.now ?? Date.now;
        this.throttleMs = options.throttleMs ?? 250;
        this.started = this.now();
        const tickMs = options.tickMs ?? 1000;
        if (this.enabled && tickMs > 0) {
            this.timer = setInterval(() => this.draw(), tickMs);
            // A progress line never keeps the process alive.
            this.timer.unref();
        }
    }

    /** Seconds since the progress started, as shown on the line. */
    elapsedText(): string {
        return `${Math.floor((this.now() - this.started) / 1000)} s`;
    }

    /** New detail for the line; drawn at once unless the line was drawn very recently. */
    update(detail: string): void {
        this.detail = detail;
        if (this.now() - this.lastWrite >= this.throttleMs) this.draw();
    }

    /** Removes the line (the caller prints its own result afterwards). */
    done(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        if (this.enabled && this.shown) this.stream.write(`\r${ERASE_LINE}`);
        this.shown = false;
    }

    private draw(): void {
        if (!this.enabled) return;
        this.lastWrite = this.now();
        this.shown = true;
        this.stream.write(`\r${this.label}${this.detail ? `: ${this.detail}` : ""} (${this.elapsedText()})${ERASE_LINE}`);
    }
}

/** Runs `work` with a progress line that shows `label` and the elapsed time until it settles. */
export async function withProgress<T>(label: string, work: (progress: Progress) => Promise<T>, options: ProgressOptions = {}): Promise<T> {
    const progress = new Progress(label, options);
    progress.update("");
    try {
        return await work(progress);
    } finally {
        progress.done();
    }
}
