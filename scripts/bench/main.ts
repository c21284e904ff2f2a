// `npm run bench`: how the program scales with the number of tenants. For 1, 10, 100 and 1,000
// generated tenants on the dev stack it runs the real program under the recording engine, each
// size in a fresh process, and reports resources, wall time, peak RSS, the depth of the
// deployment graph, the Argo CD sizing profile, and the time of a floor program registering as
// many bare ConfigMaps; at the largest size it also times the policy pack's evaluation. Prints
// a report and writes the numbers as JSON. A script, never a test: timings are facts to read,
// not assertions. It exits 1 when a target it prints is NOT met (targets.ts decides),
// unless --no-targets, and when a measurement failed. On a terminal a progress line shows which
// size and step is running and for how long; on a pipe nothing extra is printed.
import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { Command, InvalidArgumentError } from "commander";
import { formatProfile, summarizeProfile, ProfileSummary } from "./profile";
import { RSS_LIMIT_BYTES, SizeResult, TARGET_RATIO, TARGET_RATIO_MIN_TENANTS, exitCode, judge } from "./targets";
import { withProgress } from "../progress";
import { PROJECT_ROOT } from "../stack-file";
import type { Measurement, Task, WorkerFailure } from "./worker";

/**
 * Heap cap of every measuring process, the same for the program and the floor. At 1,000 tenants
 * the SDK holds every registration in flight at once (~2.6-2.9 GB live at the peak), so:
 * 3 GiB makes V8 thrash in back-to-back mark-compacts (the 1,000-tenant run took 184 s of CPU
 * instead of 112 s) and the floor dies of heap exhaustion; Node's default here (~4 GiB of old
 * space alone, and less on a smaller machine) would let RSS pass the 4 GiB budget unnoticed and
 * make numbers depend on the host. 3.5 GiB of heap plus ~200 MiB of code and buffers stays
 * under 4 GiB RSS; a program that needs more fails loudly instead.
 */
const HEAP_CAP_MIB = 3584;
/**
 * A measuring process that runs longer than this is stopped, so a hung program cannot hang the
 * bench. Generous: on a busy 2-core machine the 1,000-tenant run alone has taken ~8 minutes.
 */
const TASK_TIMEOUT_MS = 15 * 60 * 1000;

const WORKER = path.join(__dirname, "worker.ts");

interface TaskRun {
    measurement?: Measurement;
    error?: string;
    /** Spawn to exit, including Node start-up and module loading, ms. */
    processMs: number;
}

/** runTask with a progress line (terminal only) naming the step. */
function step(what: string, task: Task, nodeFlags: string[] = []): Promise<TaskRun> {
    return withProgress(`bench: ${what}`, () => runTask(task, nodeFlags));
}

function runTask(task: Task, nodeFlags: string[] = []): Promise<TaskRun> {
    const start = performance.now();
    return new Promise((resolve) => {
        const child = fork(WORKER, [], {
            cwd: PROJECT_ROOT,
            execArgv: [`--max-old-space-size=${HEAP_CAP_MIB}`, ...nodeFlags, "-r", "ts-node/register/transpile-only"],
            silent: true,
        });
        let stderr = "";
        child.stdout!.resume();
        child.stderr!.on("data", (chunk: Buffer) => {
            stderr = (stderr + chunk.toString()).slice(-4000);
        });
        let reply: Measurement | WorkerFailure | undefined;
        child.on("message", (message: Measurement | WorkerFailure) => {
            reply = message;
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), TASK_TIMEOUT_MS);
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            const processMs = performance.now() - start;
            if (reply && "error" in reply) resolve({ error: reply.error, processMs });
            else if (reply) resolve({ measurement: reply, processMs });
            else {
                const why = /heap out of memory/.test(stderr) ? `ran out of heap (--max-old-space-size=${HEAP_CAP_MIB})`
                    : signal === "SIGKILL" ? `was stopped after ${TASK_TIMEOUT_MS / 1000} s`
                    : `ended (${signal ?? `exit code ${code}`}) without a result`;
                resolve({ error: `the measuring process ${why}\n${stderr}`, processMs });
            }
        });
        child.send(task);
    });
}

// ---------------------------------------------------------------------------------------
// Report

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => n.toLocaleString("en-US");
const firstLine = (text: string) => text.split("\n")[0];
const tenantsText = (n: number) => `${count(n)} tenant${n === 1 ? "" : "s"}`;

function sizingProfile(outputs: Record<string, unknown> | undefined): string | null {
    if (!outputs) return null;
    if (typeof outputs.argocdSizingProfile === "string") return outputs.argocdSizingProfile;
    const key = Object.keys(outputs).find((k) => /sizing/i.test(k) && typeof outputs[k] === "string");
    return key ? String(outputs[key]) : null;
}

function parseSizes(value: string): number[] {
    const sizes = value.split(",").map((s) => Number(s.trim()));
    if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new InvalidArgumentError(`"${value}" must be a comma-separated list of tenant counts of at least 1, e.g. "1,10,100,1000"`);
    }
    return [...new Set(sizes)].sort((a, b) => a - b);
}

interface BenchOptions { out: string; sizes: number[]; stack: string; profile?: boolean; targets: boolean }

function parseOptions(): BenchOptions {
    const cli = new Command("bench")
        .description("Measure how the program scales with the number of tenants (see scripts/bench/main.ts)")
        .option("--out <file>", "where to write the results as JSON", "bench-results.json")
        .option("--sizes <list>", "tenant counts to measure", parseSizes, [1, 10, 100, 1000])
        .option("--stack <name>", "stack file whose platform settings are used", "dev")
        .option("--profile", "afterwards, run the largest size once more under `node --cpu-prof` and say where the time goes")
        .option("--no-targets", "report the targets without failing: exit 0 even when one is NOT met (a failed measurement still exits 1)")
        .addHelpText("after", `\nTargets (exit 1 when one is NOT met, unless --no-targets): ratio to the floor <= ${TARGET_RATIO}x at the largest size (judged from ${count(TARGET_RATIO_MIN_TENANTS)} tenants), peak RSS under ${RSS_LIMIT_BYTES / 2 ** 30} GiB, equal graph depth at the smallest and largest size.`)
        .parse();
    return cli.opts<BenchOptions>();
}

/** One size: the program (with the policy evaluation at the largest size) and its floor, each in a fresh process. */
async function measureSize(tenants: number, opts: BenchOptions, hub: TaskRun, largest: number): Promise<{ row: SizeResult; policy?: Measurement["policy"] }> {
    const run = await step(`${tenantsText(tenants)}, the program${tenants === largest ? " and the policy evaluation" : ""} in a fresh process`, { kind: "program", stack: opts.stack, tenants, policy: tenants === largest });
    const m = run.measurement;
    const row: SizeResult = { tenants, processMs: run.processMs };
    if (!m) {
        row.error = run.error;
        console.log(`${tenantsText(tenants)}: failed: ${firstLine(run.error!)}`);
        return { row };
    }
    Object.assign(row, {
        resources: m.total,
        customResources: m.custom,
        resourcesPerTenant: hub.measurement ? (m.total - hub.measurement.total) / tenants : undefined,
        evalMs: m.evalMs,
        cpuMs: m.cpuMs,
        peakRssBytes: m.peakRssBytes,
        depthEngine: m.depth!.engine.depth,
        depthSdk: m.depth!.sdk.depth,
        longestChainEngine: m.depth!.engine.chain,
        longestChainSdk: m.depth!.sdk.chain,
        argocdSizingProfile: sizingProfile(m.outputs),
    });
    const floor = await step(`${tenantsText(tenants)}, the floor (${count(m.total)} bare ConfigMaps)`, { kind: "floor", count: m.total });
    row.floor = floor.measurement
        ? { resources: floor.measurement.total, evalMs: floor.measurement.evalMs, cpuMs: floor.measurement.cpuMs, processMs: floor.processMs, peakRssBytes: floor.measurement.peakRssBytes }
        : { error: floor.error };
    if (floor.measurement) {
        row.ratio = m.evalMs / floor.measurement.evalMs;
        row.ratioCpu = m.cpuMs / floor.measurement.cpuMs;
    }
    console.log(`${tenantsText(tenants)}: ${count(m.total)} resources in ${seconds(m.evalMs)} (floor ${floor.measurement ? seconds(floor.measurement.evalMs) : `failed: ${firstLine(floor.error!)}`}), peak RSS ${MiB(m.peakRssBytes)}`);
    return { row, policy: m.policy };
}

function printResults(results: SizeResult[]): void {
    const header = ["tenants", "resources", "per tenant", "program", "floor", "ratio", "program CPU", "floor CPU", "CPU ratio", "peak RSS", "floor RSS", "depth engine", "depth sdk", "Argo CD sizing"];
    const table = results.map((r) => r.error ? [count(r.tenants), `failed: ${firstLine(r.error)}`] : [
        count(r.tenants),
        count(r.resources!),
        r.resourcesPerTenant === undefined ? "-" : r.resourcesPerTenant.toFixed(1),
        seconds(r.evalMs!),
        r.floor?.evalMs === undefined ? "failed" : seconds(r.floor.evalMs),
        r.ratio === undefined ? "-" : `${r.ratio.toFixed(2)}x`,
        seconds(r.cpuMs!),
        r.floor?.cpuMs === undefined ? "-" : seconds(r.floor.cpuMs),
        r.ratioCpu === undefined ? "-" : `${r.ratioCpu.toFixed(2)}x`,
        MiB(r.peakRssBytes!),
        r.floor?.peakRssBytes === undefined ? "-" : MiB(r.floor.peakRssBytes),
        String(r.depthEngine),
        String(r.depthSdk),
        r.argocdSizingProfile ?? "(no output)",
    ]);
    printTable([header, ...table]);
    console.log("program = runProgram wall time in its own process (SDKs preloaded); floor = as many bare ConfigMaps under one ComponentResource, same engine;");
    console.log("CPU = user + system time of the same span (all threads); depth = custom resources and remote components (charts) on the longest chain: engine = dependencies only, sdk = also parent links");
}

function printVerdicts(verdicts: ReturnType<typeof judge>, policy: Measurement["policy"] | undefined, results: SizeResult[], largest: number): void {
    for (const verdict of verdicts.filter((v) => v.target !== "peak-rss")) for (const line of verdict.lines) console.log(line);
    if (!policy) {
        console.log(`policy evaluation: not available (${results[results.length - 1]?.error ? "program failed" : "not run"})`);
    } else if (!policy.available) {
        console.log(`policy evaluation: not available (${policy.reason})`);
    } else {
        console.log(`policy evaluation over ${count(policy.resources)} resources (${tenantsText(largest)}): ${seconds(policy.ms)}, ${count(Math.round(policy.resourcesPerSecond))} resources/s; ${count(policy.findings)} findings (${count(policy.blocking)} blocking) with ${policy.config}`);
    }
    for (const verdict of verdicts.filter((v) => v.target === "peak-rss")) for (const line of verdict.lines) console.log(line);
}

/** The largest size once more under `node --cpu-prof`, summarised. */
async function runProfile(opts: BenchOptions, largest: number): Promise<ProfileSummary | { error: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-bench-"));
    const run = await step(`${tenantsText(largest)} under --cpu-prof`, { kind: "program", stack: opts.stack, tenants: largest, policy: false }, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (run.error || !file) {
        const failed = { error: run.error ?? "no profile written" };
        console.log(`profile at ${count(largest)} tenants: failed: ${firstLine(failed.error)}`);
        return failed;
    }
    const profile = summarizeProfile(path.join(dir, file));
    console.log(`profile of the whole measuring process at ${count(largest)} tenants (${path.join(dir, file)}):`);
    console.log(formatProfile(profile));
    return profile;
}

async function main(): Promise<void> {
    const opts = parseOptions();
    const benchStart = performance.now();
    const largest = opts.sizes[opts.sizes.length - 1];

    console.log(`gitops-hub bench: stack ${opts.stack} (platform settings from Pulumi.${opts.stack}.yaml), generated tenants ${opts.sizes.map(count).join(", ")}`);
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, each measurement in a fresh process with --max-old-space-size=${HEAP_CAP_MIB}`);

    const hub = await step("hub only (0 tenants), the program", { kind: "program", stack: opts.stack, tenants: 0, policy: false });
    if (hub.measurement) {
        console.log(`hub only (0 tenants): ${count(hub.measurement.total)} resources, ${seconds(hub.measurement.evalMs)}, peak RSS ${MiB(hub.measurement.peakRssBytes)}`);
    } else {
        console.log(`hub only (0 tenants): failed: ${firstLine(hub.error!)}`);
    }

    const results: SizeResult[] = [];
    let policy: Measurement["policy"] | undefined;
    for (const tenants of opts.sizes) {
        const size = await measureSize(tenants, opts, hub, largest);
        results.push(size.row);
        if (size.policy) policy = size.policy;
    }

    console.log("");
    printResults(results);
    console.log("");
    // Sizes run in ascending order (parseSizes sorts them), so results are too.
    const verdicts = judge(results);
    printVerdicts(verdicts, policy, results, largest);
    const profile = opts.profile ? await runProfile(opts, largest) : undefined;

    const totalMs = performance.now() - benchStart;
    const out = path.resolve(process.cwd(), opts.out);
    fs.writeFileSync(out, JSON.stringify({
        generatedAt: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        stack: opts.stack,
        heapCapMiB: HEAP_CAP_MIB,
        targets: { ratio: TARGET_RATIO, ratioFromTenants: TARGET_RATIO_MIN_TENANTS, peakRssBytes: RSS_LIMIT_BYTES },
        verdicts: verdicts.map(({ target, met }) => ({ target, met: met ?? null })),
        hubOnly: hub.measurement
            ? { resources: hub.measurement.total, evalMs: hub.measurement.evalMs, peakRssBytes: hub.measurement.peakRssBytes, byType: hub.measurement.byType }
            : { error: hub.error },
        sizes: results,
        policy: policy ?? null,
        profile: profile ?? null,
        totalMs,
    }, null, 2) + "\n");
    console.log(`bench took ${seconds(totalMs)}; results written to ${path.relative(process.cwd(), out) || out}`);
    const code = exitCode(verdicts, results, { targets: opts.targets });
    const missed = verdicts.filter((v) => v.met === false).map((v) => v.target);
    if (missed.length > 0) console.log(`targets NOT met: ${missed.join(", ")}${opts.targets ? "; exit 1 (--no-targets reports without failing)" : " (--no-targets: exit 0)"}`);
    process.exitCode = code;
}

function printTable(rows: string[][]): void {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd());
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
