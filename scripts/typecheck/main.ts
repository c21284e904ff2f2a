// `npm run typecheck`, the first step of `npm test`: `tsc -p . --noEmit`, which is silent for
// a minute on a busy machine. On a terminal a progress line shows that it runs and for how long
// (and tsc's errors keep their colours); on a pipe the output is tsc's own, nothing added.
import { spawn } from "child_process";
import { Progress, ProgressStream } from "../progress";

export interface RunOptions {
    /** Where the progress line goes. @default process.stderr */
    progress?: ProgressStream;
    /** Where the command's own output goes. @default process.stdout / process.stderr */
    stdout?: { write(chunk: Buffer | string): unknown };
    stderr?: { write(chunk: Buffer | string): unknown };
}

/** Runs a command with a progress line labelled `label`; resolves to its exit code. */
export function runWithProgress(label: string, command: string, args: string[], options: RunOptions = {}): Promise<number> {
    const progress = new Progress(label, { stream: options.progress });
    progress.update("");
    const stdout = options.stdout ?? process.stdout;
    const stderr = options.stderr ?? process.stderr;
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        // The command's output replaces the progress line, which comes back with the next tick.
        child.stdout.on("data", (chunk: Buffer) => { progress.done(); stdout.write(chunk); });
        child.stderr.on("data", (chunk: Buffer) => { progress.done(); stderr.write(chunk); });
        child.on("error", (error) => { progress.done(); reject(error); });
        child.on("close", (code, signal) => {
            progress.done();
            resolve(code ?? (signal ? 1 : 0));
        });
    });
}

if (require.main === module) {
    const tsc = require.resolve("typescript/bin/tsc");
    const pretty = process.stdout.isTTY ? ["--pretty"] : [];
    runWithProgress("typecheck: tsc -p . --noEmit", process.execPath, [tsc, "-p", ".", "--noEmit", ...pretty, ...process.argv.slice(2)]).then((code) => {
        process.exitCode = code;
    }, (error: Error) => {
        process.stderr.write(`typecheck: ${error.message}\n`);
        process.exitCode = 2;
    });
}
