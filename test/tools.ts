// Finds the real upstream tools (helm, the Kyverno CLI) for the specs that need them: the env var
// (HELM, KYVERNO), then `PATH`, then the project's own cache (`npm run tools -- install`). Without
// one, the calling suite is skipped with one line saying how to get it, unless
// GITOPS_HUB_REQUIRE_TOOLS=1 (set by .ci/run), where a missing tool fails the suite instead.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TOOLS } from "../components/versions";
import { ToolName, cachedToolPath, toolEnvVar } from "../scripts/tools";

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        if (dir && fs.existsSync(candidate)) return candidate;
    }
    return undefined;
}

/** Path of the tool, or undefined when none is found. */
export function findTool(name: ToolName): string | undefined {
    const fromEnv = process.env[toolEnvVar(name)];
    if (fromEnv) return fromEnv;
    const cached = cachedToolPath(name);
    if (fs.existsSync(cached)) return cached;
    return onPath(name);
}

export const toolsRequired = (): boolean => process.env.GITOPS_HUB_REQUIRE_TOOLS === "1";

/** How a developer gets the tool, in one line. */
export function installHint(name: ToolName): string {
    return `${name} ${TOOLS[name].version} not found: run \`npm run tools -- install ${name}\` (needs Go), put ${name} on PATH, or set ${toolEnvVar(name)}=/path/to/${name}`;
}

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
