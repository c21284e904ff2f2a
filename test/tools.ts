// Finds the real upstream tools (helm, the Kyverno CLI) for the specs that need them, the way
// `plan --render` does (scripts/tools/main.ts findTool: env var, then `.tools/`, then `PATH`). Without
// one, the calling suite is skipped with one line saying how to get it, unless
// GITOPS_HUB_REQUIRE_TOOLS=1 (set by .ci/run), where a missing tool fails the suite instead.
import { execFileSync } from "child_process";
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

/** The tool's own version line, for reports. */
export function toolVersion(binary: string, args: string[]): string {
    return execFileSync(binary, args, { encoding: "utf8" }).trim();
}
