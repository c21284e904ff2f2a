// One measurement of `npm run bench`, in a process of its own so that its peak RSS belongs to
// that measurement alone. bench.ts forks this module, sends one `Task` and receives one
// `Measurement` (or `WorkerFailure`) back over IPC; the recorded resources never leave this
// process (at 1,000 tenants they are far too many to copy).
import * as path from "path";
import { performance } from "perf_hooks";
import { RecordedResource, runProgram } from "../recorder";
import { readStackFile } from "../stack-file";
import { criticalPath } from "./critical-path";
import { FLOOR_PROJECT } from "./floor-project";
import { generateStackConfig } from "./generate";
import { PolicyEvaluation, evaluatePolicies } from "./policy-evaluation";

/** The Vault token handed to the program, as the specs do; the dev stack file has none. */
export const BENCH_VAULT_TOKEN = "hvs.bench-token-never-printed";

export type Task =
    | { kind: "program"; stack: string; tenants: number; policy: boolean }
    | { kind: "floor"; count: number };

export interface DepthSummary {
    depth: number;
    /** `type name` of each resource on the longest chain, first to deploy first. */
    chain: string[];
    /** URNs waited for that were never registered. */
    unknown: string[];
}

export interface Measurement {
    task: Task;
    /** Resources registered (custom and component). */
    total: number;
    custom: number;
    /** Registrations per type token. */
    byType: Record<string, number>;
    /** Wall time of runProgram (program load, registration of everything, outputs), ms. */
    evalMs: number;
    /**
     * CPU time (user + system, all threads: V8's GC helpers count too) of runProgram, ms. On a
     * busy machine wall time also measures the neighbours; CPU time much less so.
     */
    cpuMs: number;
    /** Peak resident set size of this process up to the end of runProgram, bytes. */
    peakRssBytes: number;
    /** V8 heap limit this process ran with, bytes. */
    heapLimitBytes: number;
    /** Program runs only. */
    depth?: { engine: DepthSummary; sdk: DepthSummary };
    /** The program's exports that are plain strings or numbers (sizing profile, environment, …). */
    outputs?: Record<string, string | number | boolean>;
    policy?: PolicyEvaluation;
}

export interface WorkerFailure {
    task: Task;
    error: string;
}

// The big SDKs are loaded before the clock starts, in both the platform and the floor runs, so
// the ratio compares registration work rather than who imports more provider packages.
const WARM_UP = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/vault", "@pulumi/kubernetes-cert-manager"];

async function measure(task: Task): Promise<Measurement> {
    for (const id of WARM_UP) require(id);
    const options = task.kind === "program"
        ? (() => {
            const file = readStackFile(task.stack);
            return {
                stack: task.stack,
                config: generateStackConfig(file.config, task.tenants),
                secrets: { ...file.secrets, vaultToken: BENCH_VAULT_TOKEN },
            };
        })()
        : { stack: "bench", project: FLOOR_PROJECT, config: { count: task.count }, program: path.join(__dirname, "floor-program.ts") };

    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await runProgram(options);
    const evalMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;

    const byType: Record<string, number> = {};
    for (const r of result.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    const measurement: Measurement = {
        task,
        total: result.resources.length,
        custom: result.resources.filter((r) => r.custom).length,
        byType,
        evalMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssBytes,
        heapLimitBytes: require("v8").getHeapStatistics().heap_size_limit,
    };
    if (task.kind === "program") {
        measurement.depth = {
            engine: summarize(result.resources, false),
            sdk: summarize(result.resources, true),
        };
        measurement.outputs = {};
        for (const [key, value] of Object.entries(result.outputs)) {
            if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") measurement.outputs[key] = value;
        }
        if (task.policy) measurement.policy = evaluatePolicies(result.resources, String(result.outputs.environment ?? task.stack));
    }
    return measurement;
}

function summarize(resources: RecordedResource[], parentLinks: boolean): DepthSummary {
    const path = criticalPath(resources, { parentLinks });
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return {
        depth: path.depth,
        chain: path.chain.map((urn) => {
            const r = byUrn.get(urn);
            return r ? `${r.type} ${r.name}` : urn;
        }),
        unknown: path.unknown,
    };
}

process.once("message", (task: Task) => {
    measure(task).then(
        (measurement) => process.send!(measurement, () => process.exit(0)),
        (error: unknown) => {
            const failure: WorkerFailure = { task, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
            process.send!(failure, () => process.exit(1));
        },
    );
});
