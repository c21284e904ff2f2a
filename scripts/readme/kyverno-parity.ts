// The runtime half, run by Kyverno itself: every runtime rule's fixtures (the same cases its
// CrossGuard spec asserts, policy-pack/test/runtime-cases.ts) go to the real Kyverno CLI in one
// `kyverno apply` per stack, with the ClusterPolicies exactly as the program renders them (dev:
// Audit, prod: Enforce). The policy report is parsed per policy × resource and set beside
// CrossGuard's verdict on the same manifest with the same settings.
//
// test/kyverno-parity.spec.ts demands agreement and keeps the README's parity table current;
// `npm run readme` regenerates the table from the same run.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { stringify } from "yaml";
import { clusterPolicyContext } from "../../components/hub/kyverno";
import { podRules, runtimeRules } from "../../policy-pack/catalog";
import { renderClusterPolicies } from "../../policy-pack/catalog/kyverno";
import type { Manifest, RuleContext, RuntimeRule } from "../../policy-pack/catalog/core/types";
import type { Case, RuleCases } from "../../policy-pack/test/cases";
import { runtimeCases } from "../../policy-pack/test/runtime-cases";
import { validateAgainstUpstream } from "../../test/kubernetes-schemas";
import { runProgram } from "../recorder";
import type { RecordedResource } from "../recorder";
import { withoutNulls } from "../plan/render/judge";
import { readStackFile } from "../stack-file";

export const PARITY_STACKS = ["dev", "prod"] as const;
export type ParityStack = (typeof PARITY_STACKS)[number];

/** CrossGuard's verdict: no violation passes. */
export type CrossGuardVerdict = "pass" | "fail";
/**
 * Kyverno's verdict on one policy × resource: `fail` when any rule failed, `error` when any rule
 * errored, else `pass` when any rule passed, `skip` when every matching rule was skipped
 * (preconditions), `none` when no rule of the policy matched the resource.
 */
export type KyvernoVerdict = "pass" | "fail" | "skip" | "error" | "warn" | "none";

/** One policy × fixture: both halves' verdicts. */
export interface Verdict {
    rule: string;
    /** The rule whose fixture this is. */
    fixtureRule: string;
    /** The case title. */
    title: string;
    /** The name the fixture carries in the batch (unique across all fixtures). */
    resource: string;
    kind: string;
    crossGuard: CrossGuardVerdict;
    kyverno: KyvernoVerdict;
    /** Kyverno's messages for the failing or erroring rules. */
    messages: string[];
}

/** What one `kyverno apply` over every fixture produced for one stack. */
export interface StackRun {
    stack: ParityStack;
    /** The ClusterPolicies as the program registered them. */
    policies: Manifest[];
    /** The settings the program rendered them with (also CrossGuard's for this comparison). */
    context: RuleContext;
    /** Every own-rule pair, and for workload fixtures every other workload rule too. */
    verdicts: Verdict[];
    /** Policies the report has at least one result for. */
    evaluatedPolicies: string[];
    command: string[];
    exitCode: number | null;
    stdout: string;
    stderr: string;
    /** Wall time of the Kyverno CLI alone. */
    kyvernoMs: number;
    /** Fixtures sent to Kyverno. */
    resourceCount: number;
    /** Fixtures the API server would reject before admission (CrossGuard-only: preview sees them, Kyverno never does). */
    rejected: { rule: string; title: string; reason: string }[];
}

/** Does Kyverno agree with CrossGuard: a CrossGuard pass is a Kyverno pass, skip or no match; a fail is a fail. */
export function agrees(verdict: Pick<Verdict, "crossGuard" | "kyverno">): boolean {
    return verdict.crossGuard === "fail" ? verdict.kyverno === "fail" : ["pass", "skip", "none"].includes(verdict.kyverno);
}

interface StackPolicies {
    policies: Manifest[];
    context: RuleContext;
}

/**
 * The stack's ClusterPolicies as the program registers them (under the mock engine), and the
 * settings they were rendered with. Throws when re-rendering the catalog with those settings does
 * not give exactly the registered policies, so the CrossGuard side is judged with the same settings.
 */
export async function stackPolicies(stack: ParityStack): Promise<StackPolicies> {
    const file = readStackFile(stack);
    const result = await runProgram({ stack, config: { ...file.config }, secrets: { vaultToken: "hvs.parity-run-token" } });
    const registered = result.resources
        // The catalog's policies are the Kyverno component's; the hub's tenant-placement guard is not a catalog rule.
        .filter((r) => r.type === "kubernetes:kyverno.io/v1:ClusterPolicy" && r.parent?.endsWith("::gitops-hub:hub:Kyverno::kyverno"))
        .map((r) => JSON.parse(JSON.stringify(r.inputs)) as Manifest);
    const outputs = result.outputs as {
        environment: string;
        clusterIssuer: string;
        platformConfig: { domain: string; compliance: { allowedRegistries: string[] }; kyverno: { validationFailureAction: "Audit" | "Enforce" } };
    };
    const context = clusterPolicyContext({
        environment: outputs.environment as "dev" | "prod",
        allowedRegistries: outputs.platformConfig.compliance.allowedRegistries,
        domain: outputs.platformConfig.domain,
        clusterIssuerName: outputs.clusterIssuer,
    });
    const rendered = renderClusterPolicies(runtimeRules, { validationFailureAction: outputs.platformConfig.kyverno.validationFailureAction, context });
    const byName = (policies: Manifest[]) => [...policies].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
    if (!isDeepStrictEqual(byName(rendered), byName(registered))) {
        throw new Error(`stack ${stack}: the registered ClusterPolicies differ from the catalog rendered with the stack's settings; the parity run would judge CrossGuard with other settings than Kyverno`);
    }
    return { policies: registered, context };
}

/** The batch name of case `index` of a rule: `<rule>-<index>`, a DNS-1123 name unique across the batch. */
export function resourceName(ruleId: string, index: number): string {
    return `${ruleId}-${index}`;
}

function renamed(manifest: Manifest, name: string): Manifest {
    const copy = structuredClone(manifest);
    copy.metadata = { ...(copy.metadata ?? {}), name };
    return copy;
}

interface Fixture {
    set: RuleCases;
    case: Case;
    name: string;
    /** Renamed to `name`, in admission form. */
    manifest: Manifest;
    /** Why the API server would reject the object before any admission webhook sees it (its upstream schema), if it would. */
    rejected?: string;
}

async function fixtures(sets: readonly RuleCases[]): Promise<Fixture[]> {
    const all: Fixture[] = [];
    for (const set of sets) {
        for (const [index, c] of set.cases.entries()) {
            const name = resourceName(set.rule.id, index);
            // As admission sees it: the API server decodes a JSON null in an optional field as the field being absent.
            const manifest = withoutNulls(renamed(c.manifest, name)) as Manifest;
            const error = await validateAgainstUpstream({ type: `kubernetes:${manifest.apiVersion}:${manifest.kind}`, name, inputs: manifest } as unknown as RecordedResource);
            all.push({ set, case: c, name, manifest, ...(error === undefined ? {} : { rejected: error.slice(error.indexOf(": ") + 2) }) });
        }
    }
    return all;
}

/** The CLI's values file: the admission request of every case that needs more than a CREATE. */
function valuesFile(all: Fixture[]): Record<string, unknown> {
    const byPolicy = new Map<string, { name: string; values: Record<string, unknown> }[]>();
    for (const fixture of all) {
        const admission = fixture.case.admission;
        if (admission === undefined) continue;
        const list = byPolicy.get(fixture.set.rule.id) ?? [];
        list.push({ name: fixture.name, values: { "request.operation": admission.operation, "request.oldObject": renamed(admission.oldObject, fixture.name) } });
        byPolicy.set(fixture.set.rule.id, list);
    }
    return {
        apiVersion: "cli.kyverno.io/v1alpha1",
        kind: "Value",
        metadata: { name: "parity" },
        policies: [...byPolicy].map(([name, resources]) => ({ name, resources })),
    };
}

interface ReportResult {
    policy: string;
    rule: string;
    result: string;
    message?: string;
    resources?: { kind: string; name: string; namespace?: string }[];
}

/** Every result of the CLI's policy report(s) on stdout (JSON documents separated by `---`). */
export function parseReports(stdout: string): ReportResult[] {
    const results: ReportResult[] = [];
    for (const document of stdout.split(/^---$/m)) {
        const text = document.trim();
        if (text === "") continue;
        let report: { kind?: string; results?: ReportResult[] };
        try {
            report = JSON.parse(text);
        } catch {
            throw new Error(`kyverno apply printed something that is not a JSON policy report:\n${text.slice(0, 2000)}`);
        }
        if (report.kind !== "ClusterReport" && report.kind !== "Report" && report.kind !== "ClusterPolicyReport" && report.kind !== "PolicyReport") {
            throw new Error(`kyverno apply printed a ${String(report.kind)}, not a policy report`);
        }
        results.push(...(report.results ?? []));
    }
    return results;
}

function kyvernoVerdict(results: ReportResult[]): KyvernoVerdict {
    const outcomes = new Set(results.map((r) => r.result));
    for (const outcome of ["fail", "error", "warn", "pass", "skip"] as const) {
        if (outcomes.has(outcome)) return outcome;
    }
    if (outcomes.size > 0) throw new Error(`unknown Kyverno results: ${[...outcomes].join(", ")}`);
    return "none";
}

/** The rules whose verdict on a fixture is compared: its own, and for workload fixtures every workload rule. */
function judgedBy(set: RuleCases): readonly RuntimeRule[] {
    return podRules.includes(set.rule) ? podRules : [set.rule];
}

/** The CLI's arguments, relative to the batch directory. */
const APPLY_ARGS = ["apply", "policies.yaml", "--resource", "resources.yaml", "--values-file", "values.yaml", "--policy-report", "--output-format", "json"];

interface Prepared {
    stack: ParityStack;
    policies: Manifest[];
    context: RuleContext;
    every: Fixture[];
    sent: Fixture[];
    dir: string;
}

/** Runs the program for the stack and writes the batch: its ClusterPolicies, every admissible fixture, the values file. */
async function prepare(stack: ParityStack, sets: readonly RuleCases[]): Promise<Prepared> {
    const { policies, context } = await stackPolicies(stack);
    const every = await fixtures(sets);
    const sent = every.filter((f) => f.rejected === undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-hub-kyverno-${stack}-`));
    const write = (file: string, documents: unknown[]) => fs.writeFileSync(path.join(dir, file), documents.map((d) => stringify(d)).join("---\n"));
    write("policies.yaml", policies);
    write("resources.yaml", sent.map((f) => f.manifest));
    write("values.yaml", [valuesFile(sent)]);
    return { stack, policies, context, every, sent, dir };
}

interface CliRun {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    ms: number;
}

function runCli(binary: string, dir: string): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(binary, APPLY_ARGS, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({
            exitCode: code,
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8"),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
        }));
    });
}

function judge(binary: string, prepared: Prepared, cli: CliRun): StackRun {
    const results = parseReports(cli.stdout);
    const byPair = new Map<string, ReportResult[]>();
    for (const result of results) {
        for (const resource of result.resources ?? []) {
            const key = `${result.policy}\u0000${resource.kind}\u0000${resource.name}`;
            byPair.set(key, [...(byPair.get(key) ?? []), result]);
        }
    }
    const verdicts: Verdict[] = [];
    for (const fixture of prepared.sent) {
        for (const rule of judgedBy(fixture.set)) {
            const found = byPair.get(`${rule.id}\u0000${fixture.manifest.kind}\u0000${fixture.name}`) ?? [];
            const violations = rule.check(structuredClone(fixture.manifest), prepared.context);
            verdicts.push({
                rule: rule.id,
                fixtureRule: fixture.set.rule.id,
                title: fixture.case.title,
                resource: fixture.name,
                kind: String(fixture.manifest.kind),
                crossGuard: violations.length === 0 ? "pass" : "fail",
                kyverno: kyvernoVerdict(found),
                messages: found.filter((r) => r.result === "fail" || r.result === "error").map((r) => `${r.rule}: ${r.message ?? ""}`),
            });
        }
    }
    return {
        stack: prepared.stack,
        policies: prepared.policies,
        context: prepared.context,
        verdicts,
        evaluatedPolicies: [...new Set(results.map((r) => r.policy))].sort(),
        command: [binary, ...APPLY_ARGS],
        exitCode: cli.exitCode,
        stdout: cli.stdout,
        stderr: cli.stderr,
        kyvernoMs: cli.ms,
        resourceCount: prepared.sent.length,
        rejected: prepared.every.filter((f) => f.rejected !== undefined).map((f) => ({ rule: f.set.rule.id, title: f.case.title, reason: f.rejected! })),
    };
}

/**
 * Runs Kyverno over every fixture for each stack: the program runs one stack after the other
 * (the mock engine is process-wide), then one `kyverno apply` per stack, all at once.
 */
export async function runStacks(binary: string, stacks: readonly ParityStack[] = PARITY_STACKS, sets: readonly RuleCases[] = runtimeCases): Promise<StackRun[]> {
    const prepared: Prepared[] = [];
    try {
        for (const stack of stacks) prepared.push(await prepare(stack, sets));
        const clis = await Promise.all(prepared.map((p) => runCli(binary, p.dir)));
        return prepared.map((p, i) => judge(binary, p, clis[i]));
    } finally {
        for (const p of prepared) fs.rmSync(p.dir, { recursive: true, force: true });
    }
}

/** The README's parity table: per rule, its own fixtures in both stacks, and the cross-checks. */
export function parityTable(runs: readonly StackRun[], kyvernoVersion: string): string {
    const ratio = (verdicts: Verdict[]) => `${verdicts.filter(agrees).length}/${verdicts.length}`;
    const per = (pick: (run: StackRun) => string) => runs.map(pick).join(" · ");
    const own = (run: StackRun, rule: string) => run.verdicts.filter((v) => v.rule === rule && v.fixtureRule === rule);
    const cross = (run: StackRun, rule: string) => run.verdicts.filter((v) => v.rule === rule && v.fixtureRule !== rule);
    const rows = runtimeRules.map((rule) => {
        const rejected = runs[0].rejected.filter((r) => r.rule === rule.id).length;
        const crossCell = runs[0].verdicts.some((v) => v.rule === rule.id && v.fixtureRule !== rule.id) ? per((run) => ratio(cross(run, rule.id))) : "–";
        return `| \`${rule.id}\` | ${own(runs[0], rule.id).length} | ${rejected} | ${per((run) => String(own(run, rule.id).filter((v) => v.kyverno === "fail").length))} | ${per((run) => ratio(own(run, rule.id)))} | ${crossCell} |`;
    });
    const all = (pick: (v: Verdict) => boolean) => per((run) => ratio(run.verdicts.filter(pick)));
    return [
        `Kyverno CLI ${kyvernoVersion} runs the ClusterPolicies exactly as the program registers them (dev: Audit · prod: Enforce), one \`kyverno apply\` per stack over every runtime rule's fixtures: the cases its CrossGuard spec asserts, named \`<rule>-<n>\`, as the API server would pass them to admission (\`null\` fields dropped). A CrossGuard pass must be a Kyverno pass, skip or no match; a CrossGuard fail a Kyverno fail. Workload fixtures are also judged by every other workload rule (cross-checks). Fixtures the upstream schema rejects never reach admission and stay CrossGuard's alone. Generated by \`npm run readme\`; \`test/kyverno-parity.spec.ts\` fails when this table is stale.`,
        "",
        "| rule | fixtures to Kyverno | schema-rejected (CrossGuard only) | Kyverno fails (dev · prod) | agree (dev · prod) | cross-checks agree (dev · prod) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        ...rows,
        `| **all** | **${runs[0].resourceCount}** | **${runs[0].rejected.length}** | ${per((run) => String(run.verdicts.filter((v) => v.rule === v.fixtureRule && v.kyverno === "fail").length))} | **${all((v) => v.rule === v.fixtureRule)}** | **${all((v) => v.rule !== v.fixtureRule)}** |`,
    ].join("\n");
}
