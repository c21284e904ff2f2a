// One offline plan: read the stack file, check its config with the project's loader, run the
// real program under the mock runtime, then tree, counts, policy findings, files and diagram.
// The CLI (main.ts) only parses arguments and prints what this returns.
import * as fs from "fs";
import * as path from "path";
import type { Rule } from "../../policy-pack/catalog/core/types";
import { ConfigError, parseStackConfig, shardHubStack } from "../../stacks/loader";
import type { StackConfig } from "../../stacks/schema";
import type { Progress } from "../progress";
import { RecordedResource, runProgram } from "../recorder";
import { renderedFiles } from "./render/files";
import { StackRender, renderBlocks } from "./render/model";
import { RenderOptions, renderStack } from "./render/stack";
import { PROJECT_ROOT, StackFile, readStackFile } from "../stack-file";
import { renderMermaid } from "./diagram";
import { PlanUsageError } from "./errors";
import { renderManifests, writeManifests } from "./manifests";
import { Plan, planOf } from "./model";
import {
    EffectivePolicyConfig, PolicyConfigError, PolicyFinding, PolicySummary, blocking, evaluatePolicies, exemptionsApplied, readPolicyConfig, summarize,
} from "./policies";
import { SourceContext, withConfigSources } from "./provenance";
import { TreeNode, buildTree, countByType } from "./tree";

export const EXIT = { clean: 0, mandatoryViolation: 1, usage: 2 } as const;

export { PlanUsageError };

/** Where a stack's files and program come from. */
export interface StackSource {
    /** Directory holding `Pulumi.<stack>.yaml`. @default the project */
    root?: string;
    /** The program to run. @default the project's index.ts */
    program?: string;
    /**
     * Stack files by stack name, used instead of reading them from `root` (the README's
     * generated diff plans two in-memory configs of the dev stack).
     */
    files?: Record<string, StackFile>;
    /**
     * Check the config with this checkout's loader before running the program (and so report its
     * problems as bad config). Off for another commit's program, whose own loader checks it.
     * @default true
     */
    validate?: boolean;
    /** Progress of long runs (a terminal only; see ../progress.ts). */
    progress?: Progress;
}

export interface PlanOptions extends StackSource {
    stack: string;
    /** `--policy-pack-config` file. @default policy-pack/config/<environment>.json of the project */
    policyConfig?: string;
    details?: boolean;
    /** Write manifests and chart values here. */
    out?: string;
    /** Write the Mermaid diagram here. */
    diagram?: string;
    /** The rules to evaluate, through the pack's evaluator. @default the pack's catalog */
    policies?: readonly Rule[];
    /** `--render`: render every chart with real Helm and judge what it deploys. @default - charts stay opaque */
    render?: RenderOptions;
}

export interface PlanReport {
    stack: string;
    environment: string;
    policyConfig: string;
    tree: TreeNode[];
    counts: { type: string; count: number }[];
    resourceCount: number;
    findings: PolicyFinding[];
    policySummary: PolicySummary;
    /** Every recorded resource (inputs included), for `--format json` and `--diff`. */
    resources: RecordedResource[];
    /** The stack outputs an operator reads in a plan (the Argo CD sizing profile). */
    outputs: PlanOutputs;
    /** Files written, relative to `out`. */
    written?: { out: string; files: number };
    /** With `--render`: what every chart renders and what is wrong with it. */
    render?: StackRender;
    /** Distinct exemptions (policy and reason) that covered at least one finding. */
    exemptionsApplied: number;
    diagram?: string;
    exitCode: number;
}

/** Outputs the plan shows; absent when the program does not export them (a tenant shard). */
export interface PlanOutputs {
    argocdSizingProfile?: string;
}

export function defaultPolicyConfig(environment: string): string {
    return path.join(PROJECT_ROOT, "policy-pack", "config", `${environment}.json`);
}

function loadPolicies(): readonly Rule[] {
    // Loaded when needed, so `--help` and config errors never pay for the pack.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../policy-pack/catalog") as { rules: readonly Rule[] }).rules;
}

/**
 * A config refusal (this checkout's loader, or the ConfigError class of another commit's program,
 * recognised by name) → usage error listing its problems.
 */
async function asUsage<T>(stack: string, work: () => Promise<T> | T): Promise<T> {
    try {
        return await work();
    } catch (error) {
        if (error instanceof ConfigError || (error instanceof Error && error.name === "ConfigError" && Array.isArray((error as ConfigError).problems))) {
            throw new PlanUsageError(`Pulumi.${stack}.yaml: ${error.message.split("\n")[0]}`, (error as ConfigError).problems);
        }
        throw error;
    }
}

function stackFileOf(stack: string, source: StackSource): StackFile {
    const given = source.files?.[stack];
    if (given) return given;
    try {
        return readStackFile(stack, source.root ?? PROJECT_ROOT);
    } catch (error) {
        throw new PlanUsageError((error as Error).message);
    }
}

/** One run of a stack's program: what it registered, its environment and (when checked here) its config. */
export interface RecordedStack {
    stack: string;
    environment: string;
    planned: Plan;
    file: StackFile;
    /** The config as this checkout's loader reads it; undefined with `validate: false`. */
    config?: StackConfig;
}

/**
 * Runs a stack's program under the recording engine. For a tenant shard
 * (`gitops-hub:hubStack`), the hub stack (`org/project/<stack>` → Pulumi.<stack>.yaml beside it)
 * is run first, offline like everything else, and its outputs are what the StackReference reads.
 */
export async function record(stack: string, source: StackSource = {}): Promise<RecordedStack> {
    const validate = source.validate ?? true;
    const file = stackFileOf(stack, source);
    const raw = { values: file.config, secretsSet: new Set(Object.keys(file.secrets)) };
    const hubStack = validate ? await asUsage(stack, () => shardHubStack(raw)) : (typeof raw.values.hubStack === "string" ? raw.values.hubStack : undefined);
    const run = (name: string, stackFile: StackFile, stackReferences?: Record<string, Record<string, unknown>>) => asUsage(name, () => {
        source.progress?.update(`running the program of stack ${name}`);
        return runProgram({
            stack: name, config: stackFile.config, secrets: stackFile.secrets, stackReferences, program: source.program,
            onRegister: source.progress ? (count) => source.progress!.update(`stack ${name}: ${count.toLocaleString("en-US")} resources registered`) : undefined,
        });
    });

    let stackReferences: Record<string, Record<string, unknown>> | undefined;
    let config: StackConfig | undefined;
    if (hubStack === undefined) {
        if (validate) config = await asUsage(stack, () => parseStackConfig(raw));
    } else {
        const hubName = hubStack.split("/").pop()!;
        let hubFile;
        try {
            hubFile = stackFileOf(hubName, source);
        } catch (error) {
            throw new PlanUsageError(`Pulumi.${stack}.yaml: gitops-hub:hubStack "${hubStack}" is planned from Pulumi.${hubName}.yaml, which is missing: ${(error as Error).message}`);
        }
        const hub = await run(hubName, hubFile);
        if (typeof hub.outputs.environment !== "string") throw new PlanUsageError(`Pulumi.${hubName}.yaml is not a hub stack: it exports no environment`);
        stackReferences = { [hubStack]: hub.outputs };
        if (validate) config = await asUsage(stack, () => parseStackConfig({ values: { platform: hub.outputs.platformConfig, tenants: raw.values.tenants }, secretsSet: raw.secretsSet }));
    }
    const result = await run(stack, file, stackReferences);
    const environment = config?.platform.environment ?? (typeof result.outputs.environment === "string" ? result.outputs.environment : undefined);
    if (environment === undefined) throw new PlanUsageError(`Pulumi.${stack}.yaml: the program exports no environment`);
    return { stack, environment, planned: planOf(stack, result), file, config };
}

/**
 * The policy pack over what `pulumi preview --policy-pack` would see: the program's resources
 * and, with a render, every object helm.v4.Chart registers (plus, marked and hidden from stack
 * policies, a Helm release's objects), each finding on a chart object marked with its chart.
 * Sorted, since resources register in an order that can vary between runs.
 */
export async function judgeStack(
    planned: Plan, render: StackRender | undefined, policies: readonly Rule[], config: EffectivePolicyConfig, stack: string,
    sources?: Omit<SourceContext, "planned">,
): Promise<PolicyFinding[]> {
    const judged = render ? planOf(stack, { resources: [...planned.resources, ...render.children], outputs: planned.outputs }) : planned;
    const findings = (await evaluatePolicies(judged, policies, config, { stack, outsideStack: render?.releaseObjects })).sort((a, b) =>
        a.policy.localeCompare(b.policy) || (a.resource?.urn ?? "").localeCompare(b.resource?.urn ?? "") ||
        a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
    if (render) {
        const children = new Set(render.children.map((c) => c.urn));
        for (const f of findings) {
            const urn = f.resource?.urn;
            const child = urn !== undefined && children.has(urn) ? judged.byUrn.get(urn) : undefined;
            const chart = child?.parent ? judged.byUrn.get(child.parent) : undefined;
            if (chart) f.renderedBy = { chart: chart.name, releaseObject: render.releaseObjects.has(child!.urn) };
        }
    }
    // The config entry and setting behind each finding on a tenant's resource (provenance.ts).
    return sources ? withConfigSources(findings, { ...sources, planned: judged }) : findings;
}

export async function plan(options: PlanOptions): Promise<PlanReport> {
    const { environment, planned, config, file } = await record(options.stack, options);
    const policies = options.policies ?? loadPolicies();
    const policyFile = options.policyConfig ? path.resolve(options.policyConfig) : defaultPolicyConfig(environment);
    let policyConfig;
    try {
        policyConfig = readPolicyConfig(policyFile, policies);
    } catch (error) {
        if (error instanceof PolicyConfigError) throw new PlanUsageError(error.message, error.problems);
        throw error;
    }

    const render = options.render ? await renderStack(planned, options.render) : undefined;
    options.progress?.update(`evaluating ${policies.length} policies over ${planned.resources.length.toLocaleString("en-US")} resources`);
    const findings = await judgeStack(planned, render, policies, policyConfig, options.stack, config ? { config, file, progress: options.progress } : undefined);

    let written: PlanReport["written"];
    if (options.out) {
        options.progress?.update(`writing files to ${options.out}`);
        const files = [...renderManifests(planned), ...(render ? renderedFiles(render) : [])];
        writeManifests(options.out, files, options.stack);
        written = { out: options.out, files: files.length };
    }
    if (options.diagram) {
        fs.mkdirSync(path.dirname(path.resolve(options.diagram)), { recursive: true });
        fs.writeFileSync(options.diagram, renderMermaid(planned));
    }
    const profile = planned.outputs.argocdSizingProfile;
    return {
        stack: options.stack,
        environment,
        policyConfig: path.relative(PROJECT_ROOT, policyFile).startsWith("..") ? policyFile : path.relative(PROJECT_ROOT, policyFile),
        tree: buildTree(planned, options.details ?? false),
        counts: countByType(planned),
        resourceCount: planned.resources.length,
        findings,
        policySummary: summarize(findings, policyConfig),
        resources: planned.resources,
        outputs: typeof profile === "string" ? { argocdSizingProfile: profile } : {},
        written,
        diagram: options.diagram,
        render,
        exemptionsApplied: exemptionsApplied(findings),
        exitCode: blocking(findings).length > 0 || (render !== undefined && renderBlocks(render)) ? EXIT.mandatoryViolation : EXIT.clean,
    };
}
