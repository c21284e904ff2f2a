// `npm run tools -- install [helm|kyverno] [--env]`: builds the pinned upstream tools (versions in
// components/versions.ts) from the Go module proxy into `.tools/<name>-<version>/`, a git-ignored
// cache keyed by version, so a second run costs nothing. `where` prints the cached paths.
//
// Both are built the same way: `go mod download` the module, copy it somewhere writable, and
// `go build` its command there. `go install` would do for helm, but Kyverno's go.mod carries a
// replace directive that `go install` refuses; one route serves both.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";
import { TOOLS } from "../../components/versions";
import { PROJECT_ROOT } from "../stack-file";

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

/** The env var that points the specs and `plan --render` at a tool: HELM, KYVERNO. */
export const toolEnvVar = (name: ToolName): string => name.toUpperCase();

export function cachedToolPath(name: ToolName, root = PROJECT_ROOT): string {
    return path.join(root, ".tools", `${name}-${TOOLS[name].version}`, name);
}

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        if (dir && fs.existsSync(candidate)) return candidate;
    }
    return undefined;
}

/**
 * Where a tool is taken from, for the specs and `plan --render` alike: the env var (HELM,
 * KYVERNO), then the pinned build in `.tools/`, then `PATH`. Undefined when none is found.
 */
export function findTool(name: ToolName): string | undefined {
    const fromEnv = process.env[toolEnvVar(name)];
    if (fromEnv) return fromEnv;
    const cached = cachedToolPath(name);
    if (fs.existsSync(cached)) return cached;
    return onPath(name);
}

/** How a developer gets the tool, in one line. */
export function installHint(name: ToolName): string {
    return `${name} ${TOOLS[name].version} not found: run \`npm run tools -- install ${name}\` (needs Go), put ${name} on PATH, or set ${toolEnvVar(name)}=/path/to/${name}`;
}

/** What a cached binary was built with; a cache entry built otherwise is built again. */
const buildRecipe = (name: ToolName): string => `${JSON.stringify(TOOLS[name])}\n`;
const recipePath = (target: string): string => `${target}.build.json`;

function buildTool(name: ToolName, log: (line: string) => void, rebuild = false): string {
    const target = cachedToolPath(name);
    const current = fs.existsSync(target) && fs.existsSync(recipePath(target)) && fs.readFileSync(recipePath(target), "utf8") === buildRecipe(name);
    if (current && !rebuild) {
        log(`${name} ${TOOLS[name].version}: cached at ${path.relative(PROJECT_ROOT, target)}`);
        return target;
    }
    const { module, package: pkg, version, stamp } = TOOLS[name];
    log(`${name} ${version}: downloading ${module}@${version} from the Go module proxy`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-hub-${name}-`));
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" };
    const info = JSON.parse(execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], { cwd: scratch, env, encoding: "utf8" })) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${module}@${version} failed: ${info.Error ?? "no Dir in its answer"}`);
    const source = path.join(scratch, "src");
    fs.cpSync(info.Dir, source, { recursive: true });
    execFileSync("chmod", ["-R", "u+w", source]);
    log(`${name} ${version}: building ${pkg} (takes minutes the first time)`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    execFileSync("go", ["build", "-trimpath", "-ldflags", ["-s", "-w", ...Object.entries(stamp).map(([variable, value]) => `-X ${variable}=${value}`)].join(" "), "-o", partial, pkg], { cwd: source, env, stdio: ["ignore", "inherit", "inherit"] });
    fs.renameSync(partial, target);
    fs.writeFileSync(recipePath(target), buildRecipe(name));
    fs.rmSync(scratch, { recursive: true, force: true });
    log(`${name} ${version}: built ${path.relative(PROJECT_ROOT, target)}`);
    return target;
}

function main(argv: string[]): void {
    const program = new Command("tools").description("build and locate the pinned helm and Kyverno CLI");
    program.command("install")
        .description("build the named tools (default: all) into .tools/, unless already cached")
        .argument("[names...]", `tools to build: ${TOOL_NAMES.join(", ")}`)
        .option("--env", "print `export HELM=… KYVERNO=…` lines for a shell to eval (progress goes to stderr)")
        .option("--rebuild", "build again even when the cache has the version")
        .action((names: string[], options: { env?: boolean; rebuild?: boolean }) => {
            const unknown = names.filter((n) => !TOOL_NAMES.includes(n as ToolName));
            if (unknown.length > 0) program.error(`unknown tool ${unknown.map((n) => `"${n}"`).join(", ")}; known: ${TOOL_NAMES.join(", ")}`);
            const chosen = (names.length > 0 ? names : TOOL_NAMES) as ToolName[];
            for (const name of chosen) {
                const built = buildTool(name, (line) => process.stderr.write(`${line}\n`), options.rebuild);
                if (options.env) process.stdout.write(`export ${toolEnvVar(name)}=${JSON.stringify(built)}\n`);
            }
        });
    program.command("where")
        .description("print each tool's pinned version and cached path")
        .action(() => {
            for (const name of TOOL_NAMES) {
                const p = cachedToolPath(name);
                process.stdout.write(`${name} ${TOOLS[name].version} ${fs.existsSync(p) ? p : "(not built: npm run tools -- install " + name + ")"}\n`);
            }
        });
    program.parse(argv, { from: "user" });
}

if (require.main === module) main(process.argv.slice(2));
