// Finds the real upstream tools (helm, the Kyverno CLI) for the specs that need them, the way
// `plan --render` does (scripts/tools/main.ts findTool: env var, then `.tools/`, then `PATH`). Without
// one, the calling suite is skipped with one line saying how to get it, unless
// GITOPS_HUB_REQUIRE_TOOLS=1 (set by .ci/run), where a missing tool fails the suite instead.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ToolName, findTool, installHint } from "../scripts/tools/main";

export { findTool, installHint };

export const toolsRequired = (): boolean => process.env.GITOPS_HUB_REQUIRE_TOOLS === "1";

/**
 * Call in a suite's `before`: returns the tool's path, or skips the suite with one visible line
 * (fails it under GITOPS_HUB_REQUIRE_TOOLS=1).
 */
export function requireTool(ctx: Mocha.Context, name: ToolName, find: (name: ToolName) => string | undefined = findTool): string {
    const found = find(name);
    if (found) return found;
    const hint = installHint(name);
    if (toolsRequired()) throw new Error(`${hint} (GITOPS_HUB_REQUIRE_TOOLS=1 turns this skip into a failure)`);
    process.stdout.write(`      skipped: ${hint}\n`);
    ctx.skip();
}

/**
 * For a suite that runs the tool in a scratch directory: its `before` finds the tool (as
 * requireTool: skipped, or failed under GITOPS_HUB_REQUIRE_TOOLS=1, without it) and makes the
 * directory, handing both to `use`; its `after` removes the directory.
 */
export function withTool(name: ToolName, use: (tool: string, dir: string) => void): void {
    let dir = "";
    before(function () {
        const tool = requireTool(this, name);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-hub-${name}-`));
        use(tool, dir);
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });
}

/** The tool's own version line, for reports. */
export function toolVersion(binary: string, args: string[]): string {
    return execFileSync(binary, args, { encoding: "utf8" }).trim();
}

/**
 * Call in a suite's `before`: the directory of the unpacked pinned charts (`<chart>-<version>/`)
 * that GITOPS_HUB_CHARTS names, or the suite is skipped with one line. CI has no such mirror: what
 * these suites re-read is recorded as facts in the specs beside them.
 */
export function requireCharts(ctx: Mocha.Context, what = "re-check these facts"): string {
    const dir = process.env.GITOPS_HUB_CHARTS;
    if (dir) return dir;
    process.stdout.write(`      skipped: set GITOPS_HUB_CHARTS to a directory of the unpacked pinned charts (<chart>-<version>/) to ${what}\n`);
    ctx.skip();
}
