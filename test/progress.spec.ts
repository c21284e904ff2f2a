// Progress of long work is for terminals: on a TTY one line on stderr, rewritten in place; on a
// pipe nothing at all. The type-check step of `npm test` runs through the same wrapper.
import { expect } from "chai";
import { Progress, withProgress } from "../scripts/progress";
import { runWithProgress } from "../scripts/typecheck/main";

function stream(isTTY: boolean) {
    const written: string[] = [];
    return { isTTY, written, write: (text: string) => { written.push(text); return true; } };
}

describe("progress", () => {
    it("on a terminal, draws label, detail and elapsed seconds in place, and erases the line when done", () => {
        const tty = stream(true);
        let now = 1_000;
        const progress = new Progress("plan", { stream: tty, now: () => now, throttleMs: 100, tickMs: 0 });
        progress.update("stack dev: 10 resources registered");
        now += 50;
        progress.update("stack dev: 20 resources registered");
        now += 2_000;
        progress.update("stack dev: 30 resources registered");
        progress.done();
        expect(tty.written).to.deep.equal([
            "\rplan: stack dev: 10 resources registered (0 s)\x1b[K",
            "\rplan: stack dev: 30 resources registered (2 s)\x1b[K",
            "\r\x1b[K",
        ]);
    });

    it("on a pipe, writes nothing at all", async () => {
        const pipe = stream(false);
        const progress = new Progress("plan", { stream: pipe });
        progress.update("anything");
        progress.done();
        expect(await withProgress("bench", async (p) => { p.update("1,000 tenants"); return 7; }, { stream: pipe })).to.equal(7);
        expect(pipe.written).to.deep.equal([]);
    });

    it("withProgress erases its line also when the work fails", async () => {
        const tty = stream(true);
        const error = await withProgress("bench", async () => { throw new Error("boom"); }, { stream: tty, tickMs: 0 }).catch((e: Error) => e);
        expect((error as Error).message).to.equal("boom");
        expect(tty.written[tty.written.length - 1]).to.equal("\r\x1b[K");
    });

    describe("the type-check wrapper (npm run typecheck)", () => {
        const node = (script: string): [string, string[]] => [process.execPath, ["-e", script]];

        it("passes the command's output and exit code through, adding nothing on a pipe", async () => {
            const out = stream(false);
            const err = stream(false);
            const progress = stream(false);
            const code = await runWithProgress("typecheck", ...node(`process.stdout.write("a.ts(1,1): error TS1\\n"); process.exit(2)`), { progress, stdout: out, stderr: err });
            expect(code).to.equal(2);
            expect(out.written.join("")).to.equal("a.ts(1,1): error TS1\n");
            expect(err.written).to.deep.equal([]);
            expect(progress.written).to.deep.equal([]);
        });

        it("on a terminal, shows the step while the command runs and erases it at the end", async () => {
            const progress = stream(true);
            const code = await runWithProgress("typecheck: tsc", ...node("setTimeout(() => {}, 50)"), { progress, stdout: stream(false), stderr: stream(false) });
            expect(code).to.equal(0);
            expect(progress.written[0]).to.equal("\rtypecheck: tsc (0 s)\x1b[K");
            expect(progress.written[progress.written.length - 1]).to.equal("\r\x1b[K");
        });

        it("is what npm test runs first", () => {
            const scripts = require("../package.json").scripts as Record<string, string>;
            expect(scripts.test).to.equal("npm run typecheck && mocha");
            expect(scripts.typecheck).to.equal("ts-node --transpile-only scripts/typecheck/main.ts");
        });
    });
});
